/** The real process: `tsx signaling/main.ts`, stopped with SIGTERM. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { swarmId, TestClient } from './testing/test-client.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

it('SIGTERM closes every socket with 1001 and exits 0', async () => {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'signaling/main.ts', '--port', '0', '--host', '127.0.0.1'],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    let out = '';
    const port = await new Promise<number>((resolve, reject) => {
      child.stdout.on('data', (d) => {
        out += d;
        const m = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(out);
        if (m) resolve(Number(m[1]));
      });
      child.once('exit', () => reject(new Error(`exited early: ${out}`)));
    });
    const url = `ws://127.0.0.1:${port}/tracker`;
    const clients = [await TestClient.connect(url), await TestClient.connect(url)];
    await clients[0]!.announce(swarmId(1));
    child.kill('SIGTERM');
    for (const c of clients) expect((await c.closed).code).toBe(1001);
    expect(await exited).toBe(0);
  } finally {
    child.kill('SIGKILL');
  }
});
