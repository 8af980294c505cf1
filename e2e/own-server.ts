/**
 * A second, test-owned app server (tracker + built SPA) in a child process, for tests that must kill
 * the tracker or configure its ICE servers. Same code as `npm start`, on a free loopback port.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from '../signaling/testing/free-port';

export { freePort };

export interface OwnServer {
  port: number;
  baseURL: string;
  /** SIGKILL: the tracker vanishes without closing anything (as a crash or a pulled cable). */
  kill(): void;
  stop(): Promise<void>;
}

export async function startOwnServer(env: Record<string, string> = {}, fixedPort?: number): Promise<OwnServer> {
  const port = fixedPort ?? (await freePort());
  const child: ChildProcess = spawn('npx', ['tsx', 'signaling/main.ts'], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', ...env },
    stdio: 'ignore',
    detached: true, // its own process group: npx and the node it starts die together
  });
  const baseURL = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      if ((await fetch(`${baseURL}/healthz`)).ok) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) throw new Error('own server did not start');
    await new Promise((r) => setTimeout(r, 200));
  }
  const killGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      /* already gone */
    }
  };
  return {
    port,
    baseURL,
    kill: () => killGroup('SIGKILL'),
    stop: async () => {
      killGroup('SIGTERM');
      await new Promise((r) => setTimeout(r, 300));
      killGroup('SIGKILL');
    },
  };
}
