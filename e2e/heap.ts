/**
 * JS heap of a tab: its page (CDP Performance.getMetrics, JSHeapUsedSize) plus its dedicated
 * workers (Runtime.getHeapUsage through a browser-level CDP session), where the engine and its
 * chunk buffers live.
 */
import type { Browser, CDPSession, Page } from '@playwright/test';

export interface HeapSampler {
  sample(): Promise<{ page: number; workers: number }>;
  close(): Promise<void>;
}

export async function heapSampler(browser: Browser, page: Page): Promise<HeapSampler> {
  const pageCdp = await page.context().newCDPSession(page);
  await pageCdp.send('Performance.enable');
  const { targetInfo } = await pageCdp.send('Target.getTargetInfo');
  const contextId = targetInfo.browserContextId;
  const cdp: CDPSession = await browser.newBrowserCDPSession();
  const sessions = new Map<string, string>(); // targetId -> sessionId
  let nextId = 1;
  const waiting = new Map<string, (value: number) => void>();
  cdp.on('Target.receivedMessageFromTarget', (e) => {
    const msg = JSON.parse(e.message) as { id?: number; result?: { usedSize?: number } };
    if (msg.id === undefined) return;
    const key = `${e.sessionId}:${msg.id}`;
    waiting.get(key)?.(msg.result?.usedSize ?? 0);
    waiting.delete(key);
  });
  async function workerHeap(): Promise<number> {
    const { targetInfos } = await cdp.send('Target.getTargets');
    let total = 0;
    for (const t of targetInfos) {
      if (t.type !== 'worker' || t.browserContextId !== contextId) continue;
      let sessionId = sessions.get(t.targetId);
      if (!sessionId) {
        sessionId = (await cdp.send('Target.attachToTarget', { targetId: t.targetId, flatten: false })).sessionId;
        sessions.set(t.targetId, sessionId);
      }
      const id = nextId++;
      const used = new Promise<number>((resolve) => {
        waiting.set(`${sessionId}:${id}`, resolve);
        setTimeout(() => resolve(0), 5_000);
      });
      await cdp.send('Target.sendMessageToTarget', {
        sessionId,
        message: JSON.stringify({ id, method: 'Runtime.getHeapUsage' }),
      });
      total += await used;
    }
    return total;
  }
  return {
    async sample() {
      const { metrics } = await pageCdp.send('Performance.getMetrics');
      const pageHeap = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0;
      return { page: pageHeap, workers: await workerHeap().catch(() => 0) };
    },
    async close() {
      await cdp.detach().catch(() => undefined);
      await pageCdp.detach().catch(() => undefined);
    },
  };
}
