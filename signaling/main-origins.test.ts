/** The real process (`tsx signaling/main.ts`) applies ALLOWED_ORIGINS to the Origin check. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { TestClient } from './testing/test-client.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

it('ALLOWED_ORIGINS admits the listed page origin; others are refused with 403', async () => {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'signaling/main.ts', '--port', '0', '--host', '127.0.0.1'],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ALLOWED_ORIGINS: 'https://school.example' },
    },
  );
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
    const listed = new TestClient(url, { origin: 'https://school.example' });
    await listed.opened;
    listed.ws.terminate();
    const other = new TestClient(url, { origin: 'https://evil.example' });
    await expect(other.opened).rejects.toThrow(/403/);
  } finally {
    child.kill('SIGKILL');
  }
});
