/**
 * bench:browser's per-page timeline: an init script notes (Date.now()) when each milestone first
 * shows on the page, read from the same DOM state the tests read, checked every 20 ms in the page
 * itself (no Playwright round trip per check). A breakdown printed beside the distribution time;
 * that time itself is still measured from opening the link.
 */
import type { BrowserContext, Page } from '@playwright/test';

export const MILESTONES = ['loaded', 'tracker', 'neighbor', 'metadata', 'firstChunk', 'half', 'done'] as const;
export type Milestone = (typeof MILESTONES)[number];
export type Timeline = Partial<Record<Milestone, number>>;

/** Installs the recorder in every page of `context` (before any of the app's scripts run). */
export async function recordTimeline(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const t: Record<string, number> = {};
    (globalThis as unknown as { __swarmTimeline: typeof t }).__swarmTimeline = t;
    const mark = (k: string) => {
      if (t[k] === undefined) t[k] = Date.now();
    };
    addEventListener('DOMContentLoaded', () => mark('loaded'));
    const timer = setInterval(() => {
      const q = (s: string) => document.querySelector(s);
      if (q('[data-testid=tracker-status][data-status=open]')) mark('tracker');
      if (Number(q('[data-testid=share-view]')?.getAttribute('data-connected') ?? 0) > 0) mark('neighbor');
      if (q('[data-testid=share-name]')) mark('metadata');
      const pct = Number(q('[data-testid=progress]')?.getAttribute('aria-valuenow') ?? 0);
      if (pct > 0) mark('firstChunk');
      if (pct >= 50) mark('half');
      if (q('[data-testid=download-complete]') || pct === 100) {
        mark('done');
        clearInterval(timer);
      }
    }, 20);
  });
}

export async function readTimeline(page: Page): Promise<Timeline> {
  return page.evaluate(() => ({ ...(globalThis as unknown as { __swarmTimeline: Record<string, number> }).__swarmTimeline }));
}

/** One line per milestone: median and max over the pages, seconds after `start`. */
export function formatTimelines(timelines: Timeline[], start: number): string {
  const lines: string[] = [];
  for (const m of MILESTONES) {
    const xs = timelines.map((t) => t[m]).filter((x): x is number => x !== undefined).map((x) => (x - start) / 1000).sort((a, b) => a - b);
    if (xs.length === 0) continue;
    const med = xs.length % 2 ? xs[(xs.length - 1) / 2]! : (xs[xs.length / 2 - 1]! + xs[xs.length / 2]!) / 2;
    lines.push(`  ${m.padEnd(10)} median ${med.toFixed(2)} s, max ${xs[xs.length - 1]!.toFixed(2)} s (${xs.length} pages)`);
  }
  return lines.join('\n');
}
