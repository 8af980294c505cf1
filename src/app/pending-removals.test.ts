import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readPendingRemovals, writePendingRemovals } from './pending-removals';

const KEY = 'swarmdrop.pendingRemovals';
let items: Map<string, string>;

beforeEach(() => {
  items = new Map();
  (globalThis as { localStorage?: unknown }).localStorage = {
    getItem: (k: string) => items.get(k) ?? null,
    setItem: (k: string, v: string) => void items.set(k, v),
    removeItem: (k: string) => void items.delete(k),
  };
});
afterEach(() => delete (globalThis as { localStorage?: unknown }).localStorage);

describe('pending removals in localStorage', () => {
  it('round-trips ids and removes the key when the list is empty', () => {
    writePendingRemovals(['a', 'b']);
    expect([...readPendingRemovals()]).toEqual(['a', 'b']);
    writePendingRemovals([]);
    expect(items.has(KEY)).toBe(false);
    expect(readPendingRemovals().size).toBe(0);
  });

  it('ignores what it did not write: bad JSON, a non-array, non-string entries', () => {
    items.set(KEY, '{not json');
    expect(readPendingRemovals().size).toBe(0);
    items.set(KEY, '{"a":1}');
    expect(readPendingRemovals().size).toBe(0);
    items.set(KEY, '["x", 3, null]');
    expect([...readPendingRemovals()]).toEqual(['x']);
  });
});
