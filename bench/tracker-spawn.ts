/**
 * Starts bench/tracker-server.ts (the tracker or the bare baseline) in a child process and talks
 * to it over IPC, for `npm run bench:tracker` and its --redis variant.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Dialect } from './tracker-load.ts';

export interface BenchServer {
  child: ChildProcess;
  port: number;
  /** Sends a command (`measure`, `cpu`, `loop`, `exit`) and resolves with the server's answer. */
  ask<T>(cmd: string): Promise<T>;
}

export interface SpawnOptions {
  /** `taskset -c` CPU list for the server; none: unpinned. */
  cpus?: string;
  /** Extra flags for the server's node (profiling, V8 settings). */
  nodeFlags?: string[];
  env?: Record<string, string>;
}

const root = fileURLToPath(new URL('..', import.meta.url));

export async function spawnTrackerServer(
  mode: Dialect,
  clients: number,
  options: SpawnOptions = {},
): Promise<BenchServer> {
  const args = [
    ...(options.nodeFlags ?? []),
    '--expose-gc',
    '--import',
    'tsx',
    'bench/tracker-server.ts',
    mode,
    String(clients),
  ];
  const [cmd, argv] = options.cpus
    ? ['taskset', ['-c', options.cpus, process.execPath, ...args]]
    : [process.execPath, args];
  const child = spawn(cmd, argv, {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, ...options.env },
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (m: any) => resolve(m.port));
    child.once('exit', (code) => reject(new Error(`${mode} server exited with ${code}`)));
  });
  const ask = <T>(command: string) =>
    new Promise<T>((resolve) => {
      child.once('message', (m) => resolve(m as T));
      child.send({ cmd: command });
    });
  return { child, port, ask };
}
