import { describe, expect, it } from 'vitest';
import { byteNetwork } from './network';
import { runClock } from './run-loop';
import { VirtualClock } from '../engine/index';

const KiB = 1024;

function setup() {
  const clock = new VirtualClock();
  const net = byteNetwork(clock);
  return { clock, net };
}

async function runAll(clock: VirtualClock) {
  const r = await runClock(clock, { done: () => clock.queue.size === 0, deadlineMs: 1e9 });
  expect(r).toBe('done');
}

describe('simulated network', () => {
  it('delivers at the sender upload rate plus latency, in order, without copying', async () => {
    const { clock, net } = setup();
    const a = net.addHost({ upBytesPerSecond: 100 * KiB, downBytesPerSecond: Infinity, latencyMs: 10 });
    const b = net.addHost({ upBytesPerSecond: 100 * KiB, downBytesPerSecond: Infinity, latencyMs: 15 });
    const [ta, tb] = net.connect(a, b);
    const got: Array<{ t: number; msg: Uint8Array }> = [];
    tb.onMessage((msg) => got.push({ t: clock.now(), msg }));
    const msgs = [0, 1, 2, 3].map((i) => new Uint8Array(50 * KiB).fill(i));
    for (const m of msgs) ta.send(m);
    expect(ta.bufferedAmount).toBe(200 * KiB);
    await runAll(clock);
    // In order, and the very same objects: no copy.
    expect(got.every((g, i) => g.msg === msgs[i])).toBe(true);
    expect(got.length).toBe(4);
    // 50 KiB at 100 KiB/s = 500 ms each, plus 25 ms propagation.
    expect(got.map((g) => g.t)).toEqual([525, 1025, 1525, 2025].map((t) => expect.closeTo(t, 6)));
    expect(ta.bufferedAmount).toBe(0);
  });

  it('shares an uplink equally among active flows (processor sharing)', async () => {
    const { clock, net } = setup();
    const s = net.addHost({ upBytesPerSecond: 300 * KiB, downBytesPerSecond: Infinity, latencyMs: 0 });
    const peers = [0, 1, 2].map(() =>
      net.addHost({ upBytesPerSecond: KiB, downBytesPerSecond: Infinity, latencyMs: 0 }),
    );
    const done: number[] = [];
    peers.forEach((p, i) => {
      const [ts, tp] = net.connect(s, p);
      tp.onMessage(() => done.push(clock.now()));
      // Flow 0 sends 100 KiB, flows 1 and 2 send 200 KiB each.
      ts.send(new Uint8Array((i === 0 ? 100 : 200) * KiB));
    });
    await runAll(clock);
    // Three flows at 100 KiB/s each until flow 0 is done at 1 s; then two at 150 KiB/s: 100 KiB
    // more each takes 2/3 s.
    expect(done[0]).toBeCloseTo(1000, 6);
    expect(done[1]).toBeCloseTo(1000 + 2000 / 3, 6);
    expect(done[2]).toBeCloseTo(1000 + 2000 / 3, 6);
    expect(s.uplink.bytesSent).toBe(500 * KiB);
  });

  it('a control message is not stuck behind a big one on another flow', async () => {
    const { clock, net } = setup();
    const s = net.addHost({ upBytesPerSecond: 100 * KiB, downBytesPerSecond: Infinity, latencyMs: 0 });
    const p = net.addHost({ upBytesPerSecond: KiB, downBytesPerSecond: Infinity, latencyMs: 0 });
    const q = net.addHost({ upBytesPerSecond: KiB, downBytesPerSecond: Infinity, latencyMs: 0 });
    const [tsp] = net.connect(s, p);
    const [tsq, tq] = net.connect(s, q);
    let at = -1;
    tq.onMessage(() => (at = clock.now()));
    tsp.send(new Uint8Array(1000 * KiB));
    tsq.send(new Uint8Array(100));
    await runAll(clock);
    expect(at).toBeCloseTo((2 * 100 * 1000) / (100 * KiB), 6); // 100 B at half the link
  });

  it('tiny control messages take only latency, and keep their order behind a big message', async () => {
    const { clock, net } = setup();
    const a = net.addHost({ upBytesPerSecond: 100 * KiB, downBytesPerSecond: 100 * KiB, latencyMs: 10 });
    const b = net.addHost({ upBytesPerSecond: 100 * KiB, downBytesPerSecond: 100 * KiB, latencyMs: 10 });
    const [ta, tb] = net.connect(a, b);
    const got: Array<[number, number]> = [];
    tb.onMessage((m) => got.push([m.byteLength, clock.now()]));
    ta.send(new Uint8Array(5));
    ta.send(new Uint8Array(50 * KiB));
    ta.send(new Uint8Array(13));
    await runAll(clock);
    // 5 B: 20 ms of latency. 50 KiB: 500 ms up + 20 ms + 500 ms down. 13 B: rides with it.
    expect(got).toEqual([
      [5, 20],
      [50 * KiB, expect.closeTo(1020, 6)],
      [13, expect.closeTo(1020, 6)],
    ]);
    expect(a.uplink.bytesSent).toBe(50 * KiB + 18);
  });

  it('caps what a host receives in total at its download capacity', async () => {
    const { clock, net } = setup();
    const r = net.addHost({ upBytesPerSecond: KiB, downBytesPerSecond: 100 * KiB, latencyMs: 0 });
    let last = 0;
    for (let i = 0; i < 4; i++) {
      const s = net.addHost({ upBytesPerSecond: 1000 * KiB, downBytesPerSecond: Infinity, latencyMs: 0 });
      const [ts, tr] = net.connect(s, r);
      tr.onMessage(() => (last = clock.now()));
      for (let k = 0; k < 10; k++) ts.send(new Uint8Array(10 * KiB));
    }
    await runAll(clock);
    // 400 KiB through a 100 KiB/s downlink: 4 s after the first 10 KiB arrive at 10 ms (the
    // senders alone could do it all in 0.1 s).
    expect(last).toBeCloseTo(4010, 3);
    expect(r.bytesReceived).toBe(400 * KiB);
  });

  it('fires onDrain when the queue falls to the low-water mark', async () => {
    const { clock, net } = setup();
    net.lowWaterMark = 100 * KiB;
    const a = net.addHost({ upBytesPerSecond: 100 * KiB, downBytesPerSecond: Infinity, latencyMs: 0 });
    const b = net.addHost({ upBytesPerSecond: 100 * KiB, downBytesPerSecond: Infinity, latencyMs: 0 });
    const [ta] = net.connect(a, b);
    const drains: Array<[number, number]> = [];
    ta.onDrain(() => drains.push([clock.now(), ta.bufferedAmount]));
    for (let k = 0; k < 4; k++) ta.send(new Uint8Array(50 * KiB));
    await runAll(clock);
    expect(drains).toEqual([[expect.closeTo(1000, 6), 100 * KiB]]);
  });

  it('calls an onceBelow listener once, when the queue next falls to its threshold', async () => {
    const { clock, net } = setup();
    const a = net.addHost({ upBytesPerSecond: 100 * KiB, downBytesPerSecond: Infinity, latencyMs: 0 });
    const b = net.addHost({ upBytesPerSecond: 100 * KiB, downBytesPerSecond: Infinity, latencyMs: 0 });
    const [ta] = net.connect(a, b);
    const drains: Array<[number, number]> = [];
    ta.onDrain(() => drains.push([clock.now(), ta.bufferedAmount]));
    for (let k = 0; k < 4; k++) ta.send(new Uint8Array(10 * KiB));
    const below: Array<[number, number]> = [];
    ta.onceBelow(25 * KiB, () => below.push([clock.now(), ta.bufferedAmount]));
    await runAll(clock);
    // When the second message left; below the low-water mark throughout, so no drain.
    expect(below).toEqual([[expect.closeTo(200, 6), 20 * KiB]]);
    expect(drains).toEqual([]);
  });

  it('closing drops queued messages and tells both ends', async () => {
    const { clock, net } = setup();
    const a = net.addHost({ upBytesPerSecond: 10 * KiB, downBytesPerSecond: Infinity, latencyMs: 5 });
    const b = net.addHost({ upBytesPerSecond: 10 * KiB, downBytesPerSecond: Infinity, latencyMs: 5 });
    const [ta, tb] = net.connect(a, b);
    const got: Uint8Array[] = [];
    const closed: string[] = [];
    tb.onMessage((m) => got.push(m));
    ta.onClose(() => closed.push(`a@${clock.now()}`));
    tb.onClose(() => closed.push(`b@${clock.now()}`));
    ta.send(new Uint8Array(10 * KiB));
    ta.send(new Uint8Array(10 * KiB));
    clock.setTimeout(() => net.removeHost(a), 1500);
    await runAll(clock);
    expect(got.length).toBe(1);
    expect(closed).toEqual(['a@1500', 'b@1510']);
    expect(a.uplink.activeFlows).toBe(0);
    ta.send(new Uint8Array(1)); // ignored after close, no throw
    expect(() => net.connect(a, b)).toThrow();
  });

  it('rejects bad capacities', () => {
    const { net } = setup();
    expect(() => net.addHost({ upBytesPerSecond: 0, downBytesPerSecond: 1, latencyMs: 0 })).toThrow(RangeError);
    expect(() => net.addHost({ upBytesPerSecond: 1, downBytesPerSecond: -1, latencyMs: 0 })).toThrow(RangeError);
    expect(() => net.addHost({ upBytesPerSecond: 1, downBytesPerSecond: 1, latencyMs: NaN })).toThrow(RangeError);
  });
});
