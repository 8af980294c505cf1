import { describe, expect, it } from 'vitest';
import { OwnerCache } from './owner-cache.ts';

/** A cache on a virtual clock, with each owner's remaining liveness set by the test. */
function cache(ttlMs = 1000, maxEntries = 4) {
  let now = 0;
  const live = new Map<string, number>(); // tag -> the virtual time until which Redis judges it live
  const c = new OwnerCache(
    ttlMs,
    (tag) => (live.get(tag) ?? 0) - now,
    () => now,
    maxEntries,
  );
  return { c, live, advance: (ms: number) => (now += ms) };
}

describe('OwnerCache', () => {
  it('serves an owner until its ttl lapses', () => {
    const { c, live, advance } = cache();
    live.set('BBBB', 60_000);
    c.set('room', 'BBBB');
    advance(999);
    expect(c.get('room')).toBe('BBBB');
    advance(1);
    expect(c.get('room')).toBeUndefined();
  });

  it('never serves an owner Redis would no longer judge live, even within the ttl', () => {
    const { c, live, advance } = cache();
    live.set('BBBB', 300); // its last heartbeat makes it live for 300 ms more
    c.set('room', 'BBBB');
    advance(299);
    expect(c.get('room')).toBe('BBBB');
    advance(1);
    expect(c.get('room')).toBeUndefined();
    live.set('BBBB', 60_000); // beating again: a new lookup must fill the cache, not the old entry
    expect(c.get('room')).toBeUndefined();
  });

  it('an owner not seen heartbeating yet is not served', () => {
    const { c } = cache();
    c.set('room', 'CCCC');
    expect(c.get('room')).toBeUndefined();
  });

  it('drops every room of an instance that is gone, and everything on clear', () => {
    const { c, live } = cache();
    live.set('BBBB', 60_000);
    live.set('CCCC', 60_000);
    c.set('r1', 'BBBB');
    c.set('r2', 'CCCC');
    c.set('r3', 'BBBB');
    c.dropOwner('BBBB');
    expect([c.get('r1'), c.get('r2'), c.get('r3')]).toEqual([undefined, 'CCCC', undefined]);
    c.clear();
    expect(c.get('r2')).toBeUndefined();
  });

  it('stays bounded: past maxEntries, expired entries go first, then nothing more is cached', () => {
    const { c, live, advance } = cache(1000, 2);
    live.set('BBBB', 60_000);
    c.set('r1', 'BBBB');
    c.set('r2', 'BBBB');
    c.set('r3', 'BBBB');
    expect(c.size).toBe(2);
    expect(c.get('r3')).toBeUndefined();
    advance(1000);
    c.set('r3', 'BBBB');
    expect(c.get('r3')).toBe('BBBB');
    expect(c.size).toBe(1);
  });

  it('a ttl of 0 turns the cache off', () => {
    const { c, live } = cache(0);
    live.set('BBBB', 60_000);
    c.set('room', 'BBBB');
    expect(c.get('room')).toBeUndefined();
  });
});
