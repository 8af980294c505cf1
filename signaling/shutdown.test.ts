/** The real process: `tsx signaling/main.ts`, stopped with SIGTERM. */
import { expect, it } from 'vitest';
import { swarmId, TestClient } from './testing/test-client.ts';
import { startTrackerProcess } from './testing/tracker-process.ts';

it('SIGTERM closes every socket with 1001 and exits 0', async () => {
  const { child, url, exited } = await startTrackerProcess();
  try {
    const [first, second] = [await TestClient.connect(url), await TestClient.connect(url)];
    await first.announce(swarmId(1));
    child.kill('SIGTERM');
    for (const c of [first, second]) expect((await c.closed).code).toBe(1001);
    expect(await exited).toBe(0);
  } finally {
    child.kill('SIGKILL');
  }
});
