/**
 * The real tracker process (`tsx signaling/main.ts`) on an ephemeral loopback port, for tests of
 * what only the process does: reading the environment, handling signals.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

export interface TrackerProcess {
  child: ChildProcessByStdio<null, Readable, Readable>;
  /** The tracker's WebSocket URL. */
  url: string;
  /** The exit code, once the process has exited. */
  exited: Promise<number | null>;
}

/** Starts the tracker with `env` added to this process's environment; resolves once it listens. */
export async function startTrackerProcess(env: Record<string, string> = {}): Promise<TrackerProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'signaling/main.ts', '--port', '0', '--host', '127.0.0.1'],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } },
  );
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let out = '';
  try {
    const port = await new Promise<number>((resolve, reject) => {
      child.stdout.on('data', (d) => {
        out += d;
        const m = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(out);
        if (m) resolve(Number(m[1]));
      });
      child.once('exit', () => reject(new Error(`exited early: ${out}`)));
    });
    return { child, url: `ws://127.0.0.1:${port}/tracker`, exited };
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
}
