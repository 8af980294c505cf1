/**
 * Start-up milestones as User Timing marks ("swarmdrop:<name>"), read by bench:browser's per-page
 * timeline (bench/page-timeline.ts) and visible in the browser's performance panel. A mark is a
 * few bytes in the page's timeline buffer; nothing reads them in normal use.
 */
export function perfMark(name: string): void {
  try {
    performance.mark(`swarmdrop:${name}`);
  } catch {
    /* no User Timing: nothing to record */
  }
}
