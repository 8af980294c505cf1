/** Human-readable sizes, rates and durations (binary units, as file managers show them). */

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '–';
  let v = Math.round(bytes);
  let u = 0;
  while (v >= 1024 && u < UNITS.length - 1) {
    v /= 1024;
    u++;
  }
  return `${u === 0 ? v : v < 10 ? v.toFixed(1) : Math.round(v)} ${UNITS[u]}`;
}

export function formatRate(bytesPerSec: number): string {
  return `${formatBytes(bytesPerSec < 1 ? 0 : bytesPerSec)}/s`;
}

/** "1 h 5 min", "4 min 10 s", "12 s"; '–' when unknown. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '–';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** A short, stable label for a peer id. */
export function shortPeer(peerId: string): string {
  return peerId.length > 8 ? peerId.slice(0, 8) : peerId;
}
