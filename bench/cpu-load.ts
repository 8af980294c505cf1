/** The machine's CPU use over an interval, from /proc/stat (Linux): how busy the 2 cores were during a run. */
import { readFileSync } from 'node:fs';

interface CpuTimes {
  busy: number;
  total: number;
}

function read(): CpuTimes | undefined {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const idle = fields[3]! + (fields[4] ?? 0); // idle + iowait
    const total = fields.reduce((a, b) => a + b, 0);
    return { busy: total - idle, total };
  } catch {
    return undefined;
  }
}

/** Starts a measurement; the returned function gives the busy fraction (0..1) since then, or undefined off Linux. */
export function cpuBusySince(): () => number | undefined {
  const start = read();
  return () => {
    const end = read();
    if (!start || !end || end.total === start.total) return undefined;
    return (end.busy - start.busy) / (end.total - start.total);
  };
}

export function loadAverage(): string {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {
    return '?';
  }
}
