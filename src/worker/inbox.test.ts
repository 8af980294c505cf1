import { describe, expect, it } from 'vitest';
import { Inbox } from './inbox';

const msg = (n: number) => new Uint8Array([n]);

describe('Inbox', () => {
  it('holds messages until the first listener, then hands them over in order, after the caller finished', async () => {
    const inbox = new Inbox();
    inbox.deliver(msg(1));
    inbox.deliver(msg(2));
    const got: number[] = [];
    inbox.add((m) => got.push(m[0]!));
    expect(got).toEqual([]); // not while the engine is still adding the neighbor
    inbox.deliver(msg(3)); // arrives before the held ones were handed over: stays behind them
    await Promise.resolve();
    expect(got).toEqual([1, 2, 3]);
    inbox.deliver(msg(4));
    expect(got).toEqual([1, 2, 3, 4]);
  });

  it('delivers directly once a listener was there, and nothing after clear', async () => {
    const inbox = new Inbox();
    const got: number[] = [];
    inbox.add((m) => got.push(m[0]!));
    await Promise.resolve();
    inbox.deliver(msg(7));
    expect(got).toEqual([7]);
    inbox.clear();
    inbox.deliver(msg(8));
    expect(got).toEqual([7]);
  });
});
