/** Number formatting for the wall: short, with units, no false precision. */
export function formatBytes(n: number): string {
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(1)} GiB`;
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(n >= 10 * 1024 ** 2 ? 0 : 1)} MiB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KiB`;
  return `${Math.round(n)} B`;
}

export function formatRate(bytesPerSecond: number): string {
  if (!Number.isFinite(bytesPerSecond)) return '∞';
  return `${formatBytes(bytesPerSecond)}/s`;
}

/** Seconds with one decimal below a minute, whole seconds above. The e2e tests read this text. */
export function formatSeconds(s: number | null): string {
  if (s === null || !Number.isFinite(s)) return '–';
  return s < 60 ? `${s.toFixed(1)} s` : `${Math.round(s)} s`;
}
