import { describe, expect, it } from 'vitest';
import { formatBytes, formatDuration, formatRate } from './format';

describe('format', () => {
  it('sizes in binary units', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(200 * 1024 * 1024)).toBe('200 MiB');
    expect(formatBytes(-1)).toBe('–');
    expect(formatBytes(Number.NaN)).toBe('–');
  });
  it('rates below one byte per second are zero, not scientific notation', () => {
    expect(formatRate(2.1e-9)).toBe('0 B/s');
    expect(formatRate(9 * 1024 * 1024)).toBe('9.0 MiB/s');
  });
  it('durations', () => {
    expect(formatDuration(12.4)).toBe('12 s');
    expect(formatDuration(250)).toBe('4 min 10 s');
    expect(formatDuration(3900)).toBe('1 h 5 min');
    expect(formatDuration(Infinity)).toBe('–');
  });
});
