import { describe, expect, it } from 'vitest';
import { peerStatsSchema, type ClassroomControl } from '../protocol/classroom';
import { NB_OPTIMISTIC, NB_THEY_UNCHOKE, NB_WE_UNCHOKE } from '../protocol/classroom-layout';
import { unpackBitfield } from '../protocol/classroom-bitfield';
import { boundsFor } from '../sim/bounds';
import { DEMO_SHARER_ID, demoPeerId, runDemoRound, type DemoTick } from './classroom-demo';

const KiB = 1024;
const MiB = 1024 * KiB;
const PEERS = 6;
const F = MiB;
const control = (over: Partial<ClassroomControl> = {}): ClassroomControl => ({
  round: 3,
  mode: 'p2p',
  sharerUp: 256 * KiB,
  peerUp: 128 * KiB,
  peerDown: 0,
  perPeer: {},
  ...over,
});

async function play(c: ClassroomControl, seed = 5) {
  const ticks: DemoTick[] = [];
  const seconds = await runDemoRound({ control: c, peers: PEERS, sizeBytes: F, seed }, (t) => ticks.push(t));
  return { ticks, seconds };
}

const ids = [DEMO_SHARER_ID, ...Array.from({ length: PEERS }, (_, i) => demoPeerId(i))];

describe('the projector demo runs the engine in the simulator (virtual clock, seeded)', () => {
  it('reports every peer once a second in the live stats format, and ends with every download complete', async () => {
    const c = control();
    const { ticks, seconds } = await play(c);
    expect(ticks.map((t) => t.second)).toEqual(ticks.map((_, i) => i + 1)); // one per virtual second
    for (const tick of ticks) {
      expect(tick.stats.map((s) => s.from)).toEqual(ids); // the sharer first
      for (const { stats } of tick.stats) {
        expect(peerStatsSchema.safeParse(stats).success).toBe(true);
        expect([stats.r, stats.m, stats.n, stats.F]).toEqual([3, 'p2p', 64, F]); // 64 chunks of 16 KiB
        for (const [id] of stats.nb) expect(ids).toContain(id);
      }
    }
    const last = ticks.at(-1)!.stats;
    expect(last[0]!.stats).toMatchObject({ role: 's', cu: 256 * KiB, cd: 0 });
    for (const { stats } of last.slice(1)) {
      expect(stats).toMatchObject({ role: 'p', cu: 128 * KiB, cd: 0 });
      expect(unpackBitfield(stats.h, stats.n).every(Boolean)).toBe(true);
      expect(stats.dt).toBeGreaterThan(0);
      expect(stats.el).toBe(stats.dt);
    }
    // D is the slowest completion, and it sits at or above the lecture's bound for these caps.
    const D = Math.max(...last.slice(1).map((s) => s.stats.dt!)) / 1000;
    expect(D).toBeCloseTo(seconds!, 2);
    const bound = boundsFor(
      F,
      256 * KiB,
      ids.slice(1).map(() => ({ up: 128 * KiB, down: Infinity })),
    ).p2p;
    expect(D).toBeGreaterThanOrEqual(bound);
    expect(D).toBeLessThan(2 * bound); // a swarm, not a chain of single uploads
    console.log(`demo round, N=${PEERS}, F=1 MiB, P2P: D=${D.toFixed(2)} s, bound ${bound.toFixed(2)} s`);
  });

  it('shows tit-for-tat: downloaders unchoke each other, optimistically too, and the flags agree on both ends', async () => {
    const { ticks } = await play(control());
    let regular = 0;
    let optimistic = 0;
    let agree = 0;
    let pairs = 0;
    for (const tick of ticks) {
      const byId = new Map(tick.stats.map((s) => [s.from, s.stats]));
      for (const { from, stats } of tick.stats.slice(1)) {
        for (const [to, up, , flags] of stats.nb) {
          if (to === DEMO_SHARER_ID) continue;
          if (flags & NB_WE_UNCHOKE) regular++;
          if (flags & NB_OPTIMISTIC) optimistic++;
          // What `from` says it does to `to` is what `to` says `from` does to it, but for a choke or
          // unchoke message still on the wire (10 ms of latency) at the snapshot instant.
          const back = byId.get(to)!.nb.find(([id]) => id === from);
          if (!back) continue;
          pairs++;
          if (((back[3] & NB_THEY_UNCHOKE) !== 0) === ((flags & NB_WE_UNCHOKE) !== 0)) agree++;
          expect(up).toBeGreaterThanOrEqual(0);
        }
      }
    }
    expect(regular).toBeGreaterThan(0);
    expect(optimistic).toBeGreaterThan(0);
    console.log(`unchoke flags agree on both ends in ${agree} of ${pairs} neighbor pairs`);
    expect(agree / pairs).toBeGreaterThan(0.9);
    const uploaded = ticks.flatMap((t) => t.stats.slice(1).map((s) => s.stats.up));
    expect(Math.max(...uploaded)).toBeGreaterThan(0); // peers pass chunks on
  });

  it('client-server: only the sharer uploads, and D is at its bound NF/u_s', async () => {
    const { ticks, seconds } = await play(control({ mode: 'cs', round: 4 }));
    for (const tick of ticks) for (const { stats } of tick.stats.slice(1)) expect(stats.up).toBe(0);
    const bound = (PEERS * F) / (256 * KiB);
    expect(seconds).toBeGreaterThanOrEqual(bound);
    expect(seconds).toBeLessThan(1.1 * bound);
  });

  it('applies per-peer caps and free riders from the control, and is the same run for the same seed', async () => {
    const c = control({
      perPeer: { [demoPeerId(0)]: { free: true }, [demoPeerId(1)]: { up: 64 * KiB, down: 512 * KiB } },
    });
    const a = await play(c, 9);
    const b = await play(c, 9);
    expect(JSON.stringify(b.ticks)).toBe(JSON.stringify(a.ticks));
    const last = new Map(a.ticks.at(-1)!.stats.map((s) => [s.from, s.stats]));
    expect(last.get(demoPeerId(1))).toMatchObject({ cu: 64 * KiB, cd: 512 * KiB });
    const freeUp = a.ticks.map((t) => t.stats.find((s) => s.from === demoPeerId(0))!.stats.up);
    expect(Math.max(...freeUp)).toBe(0); // a free rider uploads nothing
  });

  it('refuses a round without peers or with more than the demo holds', async () => {
    for (const peers of [0, 31, 1.5])
      await expect(runDemoRound({ control: control(), peers, sizeBytes: F, seed: 1 }, () => {})).rejects.toThrow(
        RangeError,
      );
  });
});
