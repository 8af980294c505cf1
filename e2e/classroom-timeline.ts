/**
 * Where a classroom round's time goes, per student: the app's User Timing marks ("swarmdrop:*",
 * src/app/perf-mark.ts in the page, workerMark in src/worker/session.ts) read from each page and
 * its engine worker, on the machine's one clock (timeOrigin + startTime), in seconds after the
 * projector received the round's control (the moment its D is timed from). Printed, not asserted.
 */
import type { Page } from '@playwright/test';

/** Mark name -> absolute times (ms since the epoch), in order. */
type Marks = Map<string, number[]>;

const READ_MARKS = `(() => performance.getEntriesByType('mark')
  .filter((e) => e.name.startsWith('swarmdrop:'))
  .map((e) => [e.name.slice('swarmdrop:'.length), performance.timeOrigin + e.startTime]))()`;

/** The marks of `page` and of every worker it runs. */
async function marksOf(page: Page): Promise<Marks> {
  const lists = await Promise.all([
    page.evaluate<Array<[string, number]>>(READ_MARKS),
    ...page.workers().map((w) => w.evaluate<Array<[string, number]>>(READ_MARKS).catch(() => [])),
  ]);
  const marks: Marks = new Map();
  for (const [name, at] of lists.flat()) marks.set(name, [...(marks.get(name) ?? []), at]);
  for (const times of marks.values()) times.sort((a, b) => a - b);
  return marks;
}

const firstAfter = (m: Marks, name: string, t: number) => m.get(name)?.find((x) => x >= t);
const lastAfter = (m: Marks, name: string, t: number) =>
  m
    .get(name)
    ?.filter((x) => x >= t)
    .at(-1);
const countAfter = (m: Marks, name: string, t: number) => m.get(name)?.filter((x) => x >= t).length ?? 0;

/** Per student, the milestones of round `round` (seconds after the projector's control; `-` if absent). */
export async function roundTimeline(
  projector: Page,
  sharer: Page,
  students: Page[],
  round: number,
  since: number,
): Promise<{ text: string; rows: Array<Record<string, number | undefined>> }> {
  const p = await marksOf(projector);
  const start = firstAfter(p, `projector-control-${round}`, since) ?? since;
  const s = (t: number | undefined) => (t === undefined ? undefined : (t - start) / 1000);
  const columns = [
    'control',
    'answer',
    'restarted',
    'webrtc first',
    'webrtc last',
    'handshake first',
    'first chunk',
    'complete',
  ];
  const rows: Array<Record<string, number | undefined>> = [];
  for (const page of students) {
    const m = await marksOf(page);
    rows.push({
      control: s(firstAfter(m, 'classroom-control', since)),
      answer: s(firstAfter(m, 'round-answer', since)),
      restarted: s(firstAfter(m, 'round-restarted', since)),
      'webrtc first': s(firstAfter(m, 'webrtc-connect', since)),
      'webrtc last': s(lastAfter(m, 'webrtc-connect', since)),
      'handshake first': s(firstAfter(m, 'peer-handshake', since)),
      'first chunk': s(firstAfter(m, 'first-chunk', since)),
      complete: s(firstAfter(m, 'complete', since)),
      connections: countAfter(m, 'webrtc-connect', since),
    });
  }
  const sm = await marksOf(sharer);
  const fmt = (x: number | undefined) => (x === undefined ? '-' : x.toFixed(2)).padStart(8);
  const lines = [
    `  round ${round}, seconds after the projector's control (sharer: ${countAfter(sm, 'peer-handshake', since)} new handshakes):`,
    `  ${'student'.padEnd(8)}${columns.map((c) => c.padStart(16)).join('')}  new connections`,
    ...rows.map(
      (r, i) =>
        `  ${`S${i + 1}`.padEnd(8)}${columns.map((c) => fmt(r[c]).padStart(16)).join('')}  ${r.connections ?? 0}`,
    ),
  ];
  return { text: lines.join('\n'), rows };
}
