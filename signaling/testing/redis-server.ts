/**
 * Test helper: a real redis-server (Debian's package, installed by scripts/ensure-tools.mjs) on a
 * free loopback port, with no persistence, that a test can kill and start again on the same port.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { Socket } from 'node:net';
import { freePort } from './free-port.ts';

export { freePort };

export interface RedisServer {
  readonly port: number;
  readonly url: string;
  /** SIGKILL: Redis vanishes mid-way, as a crash would. */
  kill(): Promise<void>;
  /** Starts it again on the same port, empty. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

function redisBinary(): string {
  const found = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).stdout.trim();
  if (!found)
    throw new Error('redis-server not found: run `node scripts/ensure-tools.mjs redis-server` (npm test does)');
  return found;
}

async function waitForPing(port: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = new Socket();
      s.once('error', () => resolve(false));
      s.connect(port, '127.0.0.1', () => s.write('PING\r\n'));
      s.once('data', (d) => {
        s.destroy();
        resolve(d.toString().startsWith('+PONG'));
      });
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`redis-server on ${port} did not answer PING`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function startRedisServer(): Promise<RedisServer> {
  const binary = redisBinary();
  const port = await freePort();
  let child: ChildProcess | undefined;
  const launch = async () => {
    child = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    });
    await waitForPing(port);
  };
  const killNow = async () => {
    const c = child;
    child = undefined;
    if (!c || c.exitCode !== null) return;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill('SIGKILL');
    await exited;
  };
  await launch();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    kill: killNow,
    restart: launch,
    stop: killNow,
  };
}
