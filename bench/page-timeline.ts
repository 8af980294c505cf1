/**
 * bench:browser's per-page timeline: an init script notes (Date.now()) when each milestone first
 * shows on the page, read from the same DOM state the tests read, checked every 20 ms in the page
 * itself (no Playwright round trip per check). A breakdown printed beside the distribution time;
 * that time itself is still measured from opening the link.
 */
import type { BrowserContext, Page } from '@playwright/test';

/**
 * Milestone -> Date.now(). From the DOM: loaded, tracker (status open), neighbor (a WebRTC
 * connection up), metadata, firstChunk, half, done; plus the app's own start-up marks
 * (src/app/perf-mark.ts) as `app:<name>`, and from Navigation/Resource Timing `nav:start` (the
 * page's time origin), `nav:html`, `nav:app-js` (entry bundle fetched), `nav:views-js`, `nav:worker-js`.
 */
export type Timeline = Record<string, number>;

/** Installs the recorder in every page of `context` (before any of the app's scripts run). */
export async function recordTimeline(context: BrowserContext): Promise<void> {
  // A string, not a function: tsx's transform wraps named inner functions in a `__name` helper
  // that does not exist in the page, and the script would fail silently.
  await context.addInitScript(RECORDER);
}

const RECORDER = `(() => {
  const t = {};
  globalThis.__swarmTimeline = t;
  const mark = (k) => { if (t[k] === undefined) t[k] = Date.now(); };
  addEventListener('DOMContentLoaded', () => mark('loaded'));
  const timer = setInterval(() => {
    const q = (s) => document.querySelector(s);
    if (q('[data-testid=tracker-status][data-status=open]')) mark('tracker');
    if (Number(q('[data-testid=share-view]')?.getAttribute('data-connected') ?? 0) > 0) mark('neighbor');
    if (q('[data-testid=share-name]')) mark('metadata');
    const pct = Number(q('[data-testid=progress]')?.getAttribute('aria-valuenow') ?? 0);
    if (pct > 0) mark('firstChunk');
    if (pct >= 50) mark('half');
    if (q('[data-testid=download-complete]') || pct === 100) { mark('done'); clearInterval(timer); }
  }, 20);
})();`;

export async function readTimeline(page: Page): Promise<Timeline> {
  return page.evaluate<Timeline>(`(() => {
    const t = { ...globalThis.__swarmTimeline };
    // Navigation: when the page's own clock started, its HTML arrived, its scripts were fetched.
    const o = performance.timeOrigin;
    t['nav:start'] = o;
    const nav = performance.getEntriesByType('navigation')[0];
    if (nav) t['nav:html'] = o + nav.responseEnd;
    for (const r of performance.getEntriesByType('resource')) {
      const kind = r.name.includes('/assets/index-') ? 'app-js' : r.name.includes('/assets/main-') ? 'worker-js' : r.name.includes('/assets/render-') ? 'views-js' : '';
      if (kind && r.name.endsWith('.js')) t['nav:' + kind] = o + r.responseEnd;
    }
    for (const e of performance.getEntriesByType('mark')) {
      if (!e.name.startsWith('swarmdrop:')) continue;
      const k = 'app:' + e.name.slice('swarmdrop:'.length);
      if (t[k] === undefined) t[k] = performance.timeOrigin + e.startTime;
    }
    return t;
  })()`);
}

/** One line per milestone, in order of their medians over the pages: median and max, seconds after `start`. */
export function formatTimelines(timelines: Timeline[], start: number): string {
  const names = new Set(timelines.flatMap((t) => Object.keys(t)));
  const rows: Array<{ name: string; med: number; max: number; pages: number }> = [];
  for (const name of names) {
    const xs = timelines
      .map((t) => t[name])
      .filter((x): x is number => x !== undefined)
      .map((x) => (x - start) / 1000)
      .sort((a, b) => a - b);
    const med = xs.length % 2 ? xs[(xs.length - 1) / 2]! : (xs[xs.length / 2 - 1]! + xs[xs.length / 2]!) / 2;
    rows.push({ name, med, max: xs[xs.length - 1]!, pages: xs.length });
  }
  rows.sort((a, b) => a.med - b.med);
  return rows
    .map((r) => `  ${r.name.padEnd(18)} median ${r.med.toFixed(2)} s, max ${r.max.toFixed(2)} s (${r.pages} pages)`)
    .join('\n');
}
