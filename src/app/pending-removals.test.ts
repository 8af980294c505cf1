import { describe, expect, it } from 'vitest';
import { readPendingRemovals, writePendingRemovals } from './pending-removals';
import { memoryStorage } from './testing/memory-storage';

const KEY = 'swarmdrop.pendingRemovals';

describe('pending removals in localStorage', () => {
  it('round-trips ids and removes the key when the list is empty', () => {
    const storage = memoryStorage();
    writePendingRemovals(storage, ['a', 'b']);
    expect([...readPendingRemovals(storage)]).toEqual(['a', 'b']);
    writePendingRemovals(storage, []);
    expect(storage.items.has(KEY)).toBe(false);
    expect(readPendingRemovals(storage).size).toBe(0);
  });

  it('ignores what it did not write: bad JSON, a non-array, non-string entries', () => {
    const storage = memoryStorage();
    storage.items.set(KEY, '{not json');
    expect(readPendingRemovals(storage).size).toBe(0);
    storage.items.set(KEY, '{"a":1}');
    expect(readPendingRemovals(storage).size).toBe(0);
    storage.items.set(KEY, '["x", 3, null]');
    expect([...readPendingRemovals(storage)]).toEqual(['x']);
  });

  it('works without storage and when storage refuses writes', () => {
    expect(readPendingRemovals(undefined).size).toBe(0);
    writePendingRemovals(undefined, ['a']);
    const full = {
      ...memoryStorage(),
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
    };
    expect(() => writePendingRemovals(full, ['a'])).not.toThrow();
  });
});
