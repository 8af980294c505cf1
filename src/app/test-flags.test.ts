import { afterEach, describe, expect, it } from 'vitest';
import { readTestFlags, TEST_FLAGS_KEY } from './test-flags';

function withStorage(value: string | null) {
  (globalThis as { localStorage?: unknown }).localStorage = {
    getItem: (k: string) => (k === TEST_FLAGS_KEY ? value : null),
  };
}

describe('readTestFlags', () => {
  afterEach(() => delete (globalThis as { localStorage?: unknown }).localStorage);
  it('is empty without the opt-in key', () => {
    withStorage(null);
    expect(readTestFlags()).toEqual({});
  });
  it('reads only well-typed switches', () => {
    withStorage(JSON.stringify({ tamper: true, uploadLimit: 1024, noSubtle: 'yes', forceRelay: 1 }));
    expect(readTestFlags()).toMatchObject({ tamper: true, uploadLimit: 1024, noSubtle: false, forceRelay: false });
  });
  it('ignores malformed JSON and bad limits', () => {
    withStorage('{not json');
    expect(readTestFlags()).toEqual({});
    withStorage(JSON.stringify({ uploadLimit: -5 }));
    expect(readTestFlags().uploadLimit).toBeUndefined();
  });
});
