/** The real process (`tsx signaling/main.ts`) applies ALLOWED_ORIGINS to the Origin check. */
import { expect, it } from 'vitest';
import { TestClient } from './testing/test-client.ts';
import { startTrackerProcess } from './testing/tracker-process.ts';

it('ALLOWED_ORIGINS admits the listed page origin; others are refused with 403', async () => {
  const { child, url } = await startTrackerProcess({ ALLOWED_ORIGINS: 'https://school.example' });
  try {
    const listed = new TestClient(url, { origin: 'https://school.example' });
    await listed.opened;
    listed.ws.terminate();
    const other = new TestClient(url, { origin: 'https://evil.example' });
    await expect(other.opened).rejects.toThrow(/403/);
  } finally {
    child.kill('SIGKILL');
  }
});
