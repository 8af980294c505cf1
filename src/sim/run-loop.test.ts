import { describe, expect, it } from 'vitest';
import { runClock } from './run-loop';
import { EventQueue, VirtualClock } from '../engine/index';

describe('event queue and run loop', () => {
  it('runs events in time order, ties in insertion order, skipping cancelled ones', async () => {
    const clock = new VirtualClock();
    const seen: string[] = [];
    clock.setTimeout(() => seen.push('b@20'), 20);
    clock.setTimeout(() => seen.push('a@10'), 10);
    const gone = clock.setTimeout(() => seen.push('cancelled'), 15);
    clock.setTimeout(() => seen.push('c@20'), 20);
    clock.clearTimeout(gone);
    expect(clock.queue.size).toBe(3);
    await runClock(clock, { done: () => false, deadlineMs: 1000 });
    expect(seen).toEqual(['a@10', 'b@20', 'c@20']);
  });

  it('lets promise continuations run within one quantum of virtual time', async () => {
    const clock = new VirtualClock();
    const lateness: number[] = [];
    // Each event starts an async chain three awaits deep, then schedules the next event.
    const step = (k: number) => async () => {
      const started = clock.now();
      await Promise.resolve();
      await new Promise<void>((r) => r());
      await Promise.resolve();
      lateness.push(clock.now() - started);
      if (k < 50) clock.setTimeout(() => void step(k + 1)(), 0.3);
    };
    clock.setTimeout(() => void step(0)(), 0);
    // Unrelated busy events every 0.1 ms that would move time on if continuations were starved.
    for (let t = 0; t < 30; t += 0.1) clock.setTimeout(() => {}, t);
    const r = await runClock(clock, { done: () => lateness.length === 51, deadlineMs: 1e6, quantumMs: 1 });
    expect(r).toBe('done');
    expect(Math.max(...lateness)).toBeLessThanOrEqual(1);
  });

  it('stops at the deadline and reports an idle queue', async () => {
    const clock = new VirtualClock();
    clock.setTimeout(() => {}, 5000);
    expect(await runClock(clock, { done: () => false, deadlineMs: 1000 })).toBe('deadline');
    expect(clock.now()).toBe(1000);
    const idle = new VirtualClock(new EventQueue());
    expect(await runClock(idle, { done: () => false, deadlineMs: 1000 })).toBe('idle');
  });
});
