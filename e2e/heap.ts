/**
 * JS heap of a tab: its page and its dedicated workers, where the engine and its chunk buffers
 * live (both read with Runtime.getHeapUsage, the figure Performance.getMetrics calls
 * JSHeapUsedSize).
 */
import type { Page } from '@playwright/test';

export interface TabHeap {
  /** JS heap in use now: the page (Runtime.getHeapUsage) and its dedicated workers together. */
  sample(): Promise<{ page: number; workers: number }>;
  close(): Promise<void>;
}

/**
 * The page's own CDP session auto-attaches to its dedicated workers (not flattened: messages to
 * them go through Target.sendMessageToTarget), so no browser-level session is needed.
 */
export async function tabHeap(page: Page): Promise<TabHeap> {
  const cdp = await page.context().newCDPSession(page);
  const workers = new Set<string>(); // session ids
  let nextId = 1;
  const waiting = new Map<string, (value: number) => void>();
  cdp.on('Target.attachedToTarget', (e) => {
    if (e.targetInfo.type === 'worker') workers.add(e.sessionId);
  });
  cdp.on('Target.detachedFromTarget', (e) => void workers.delete(e.sessionId ?? ''));
  cdp.on('Target.receivedMessageFromTarget', (e) => {
    const msg = JSON.parse(e.message) as { id?: number; result?: { usedSize?: number } };
    if (msg.id === undefined) return;
    const key = `${e.sessionId}:${msg.id}`;
    waiting.get(key)?.(msg.result?.usedSize ?? 0);
    waiting.delete(key);
  });
  await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
  const workerHeap = async (sessionId: string): Promise<number> => {
    const id = nextId++;
    const used = new Promise<number>((resolve) => {
      waiting.set(`${sessionId}:${id}`, resolve);
      setTimeout(() => resolve(0), 5_000);
    });
    await cdp.send('Target.sendMessageToTarget', {
      sessionId,
      message: JSON.stringify({ id, method: 'Runtime.getHeapUsage' }),
    });
    return used;
  };
  return {
    async sample() {
      const { usedSize } = await cdp.send('Runtime.getHeapUsage');
      let total = 0;
      for (const s of workers) total += await workerHeap(s).catch(() => 0);
      return { page: usedSize, workers: total };
    },
    async close() {
      await cdp.detach().catch(() => undefined);
    },
  };
}

/** Samples a tab's heap every `everyMs` until stopped; resolves to the peaks and the sample count. */
export function heapPeaks(heap: TabHeap, everyMs = 1_000): { stop(): Promise<HeapPeaks> } {
  const peak: HeapPeaks = { page: 0, workers: 0, total: 0, samples: 0 };
  let sampling = true;
  const loop = (async () => {
    while (sampling) {
      const s = await heap.sample().catch(() => undefined);
      if (s) {
        peak.page = Math.max(peak.page, s.page);
        peak.workers = Math.max(peak.workers, s.workers);
        peak.total = Math.max(peak.total, s.page + s.workers);
        peak.samples++;
      }
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    async stop() {
      sampling = false;
      await loop;
      return peak;
    },
  };
}

export interface HeapPeaks {
  page: number;
  workers: number;
  total: number;
  samples: number;
}
