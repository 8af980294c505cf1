import { describe, expect, it } from 'vitest';
import type { PeerStats } from '../../../protocol/classroom';
import { packBitfield } from '../../../protocol/classroom-bitfield';
import { peerStats } from '../../../protocol/testing/peer-stats';
import { boundCS, boundP2P } from './bounds';
import { availability, chunkSizeOf, measure, roundStart } from './measured';
import { applyStats, pruneStale, STALE_AFTER_MS } from './peers';
import { resultOf, resultsToCsv, resultsToJson, upsertResult } from './results';

const KiB = 1024;
const F = 8 * 256 * KiB; // 8 chunks, 2 MiB

const stats = (over: Partial<PeerStats>): PeerStats => peerStats({ r: 1, n: 8, ...over });

describe('bounds', () => {
  it('follows the lecture formulas, with d_min the slowest download', () => {
    const x = { N: 6, F, us: 256 * KiB, uSum: 6 * 128 * KiB, dmin: 1024 * KiB };
    expect(boundCS(x)).toBeCloseTo((6 * F) / (256 * KiB)); // 48 s
    expect(boundP2P(x)).toBeCloseTo((6 * F) / (256 * KiB + 6 * 128 * KiB)); // 12 s
    expect(boundP2P({ ...x, dmin: 16 * KiB })).toBeCloseTo(F / (16 * KiB)); // download-bound
    expect(boundCS({ ...x, N: 1, dmin: Infinity })).toBeCloseTo(F / (256 * KiB)); // unknown d_min ignored
  });
});

describe('measuring the swarm from stats', () => {
  let peers = new Map();
  // One clock: the sharer's round began 3.1 s before its report arrived at 0, b's with it, a's 0.1 s later.
  peers = applyStats(
    peers,
    'S',
    stats({ role: 's', h: packBitfield(8, () => true), up: 200 * KiB, cu: 256 * KiB, el: 3100 }),
    0,
  );
  peers = applyStats(
    peers,
    'a',
    stats({ up: 100 * KiB, dn: 300 * KiB, h: packBitfield(8, (i) => i < 2), el: 3000 }),
    0,
  );
  peers = applyStats(
    peers,
    'a',
    stats({ up: 50 * KiB, dn: 200 * KiB, h: packBitfield(8, (i) => i < 4), el: 4000 }),
    1000,
  );
  peers = applyStats(
    peers,
    'b',
    stats({ up: 80 * KiB, dn: 90 * KiB, cu: 128 * KiB, h: packBitfield(8, (i) => i >= 6), el: 4100 }),
    1000,
  );

  it('uses caps as capacity; an uncapped peer leaves D_P2P unknown, never guessed from its peak', () => {
    const m = measure([...peers.values()]);
    expect(m.N).toBe(2);
    expect(m.F).toBe(F);
    expect([m.chunks, m.chunkSize]).toEqual([8, 256 * KiB]);
    expect([chunkSizeOf(3 * 1024 * KiB, 192), chunkSizeOf(100, 1), chunkSizeOf(64 * KiB + 1, 2)]).toEqual([
      16 * KiB,
      16 * KiB,
      64 * KiB,
    ]);
    expect(m.us).toBe(256 * KiB); // the cap, not the 200 KiB/s seen
    expect(m.ui).toEqual({ a: 0, b: 128 * KiB }); // a: no cap, so unknown; b: its cap
    expect(m.uSum).toBe(128 * KiB);
    expect(m.uSumSeen).toBe(180 * KiB); // peaks, shown only
    expect(m.boundP2P).toBeNull();
    expect(m.boundsNeed).toBe('caps');
    expect(m.dmin).toBe(Infinity); // no download cap: not limiting
    expect(m.dminSeen).toBe(90 * KiB);
    expect(m.elapsed).toBeCloseTo(4.1);
    expect(m.D).toBeNull();
    expect(m.boundCS).toBeCloseTo((2 * F) / (256 * KiB));
    const capped = measure([
      ...applyStats(peers, 'b', stats({ cd: 64 * KiB, cu: 128 * KiB, el: 4100 }), 1000).values(),
    ]);
    expect(capped.dmin).toBe(64 * KiB);
    expect(capped.boundCS).toBeCloseTo(F / (64 * KiB));
  });

  it('counts how many peers hold each chunk', () => {
    expect(availability([...peers.values()])).toEqual([2, 2, 2, 2, 1, 1, 2, 2]);
  });

  it('gives D as the slowest peer once every peer is done; a new round counts only its own stats', () => {
    // a is done 8.0 s into its round (which began 0.1 s after the sharer's), b 9.5 s into its own.
    let p = applyStats(peers, 'a', stats({ h: packBitfield(8, () => true), el: 9500, dt: 8000, cu: 128 * KiB }), 6500);
    p = applyStats(p, 'b', stats({ h: packBitfield(8, () => true), el: 9600, dt: 9500, cu: 128 * KiB }), 6500);
    const m = measure([...p.values()]);
    expect(m.done).toBe(2);
    expect(m.D).toBeCloseTo(9.5);
    const caps = { sharerUp: 256 * KiB, peerUp: 128 * KiB, peerDown: 0 };
    const row = resultOf(m, { round: 1, mode: 'p2p', ...caps, perPeer: {} });
    expect(row).toMatchObject({ round: 1, N: 2, D: 9.5, capPeerUp: 128 * KiB });

    // Round 2 starts: old-round stats of 'b' don't count; 'a' keeps its best rate as its capacity.
    const q = applyStats(p, 'a', stats({ r: 2, m: 'cs', up: 1 * KiB, dn: 10 * KiB, el: 500 }), 3000);
    const m2 = measure([...q.values()]);
    expect(m2.round).toBe(2);
    expect(m2.N).toBe(1);
    expect(m2.ui).toEqual({ a: 0 }); // no cap in round 2
    expect(m2.mode).toBe('cs');
    expect(m2.boundCS).toBeNull(); // the sharer has not reported in round 2 yet
  });

  it('drops peers that went quiet or left', () => {
    expect([...pruneStale(peers, 1000 + STALE_AFTER_MS).keys()]).toEqual(['a', 'b']);
    expect([...pruneStale(peers, 1000 + STALE_AFTER_MS + 1).keys()]).toEqual([]);
    expect([...pruneStale(peers, 1000, ['S', 'b']).keys()]).toEqual(['S', 'b']);
  });

  it('does not count a peer with the wrong chunk count into availability', () => {
    const p = applyStats(peers, 'odd', stats({ n: 16, h: packBitfield(16, () => true) }), 1000);
    expect(availability([...p.values()])).toEqual([2, 2, 2, 2, 1, 1, 2, 2]);
  });
});

describe('the no-caps rule: a measured D is never shown below a displayed bound', () => {
  const MiB = 1024 * KiB;
  const F3 = 3 * MiB;
  const done = (over: Partial<PeerStats>) => stats({ n: 12, F: F3, h: packBitfield(12, () => true), ...over });
  const swarm = (list: Array<[string, PeerStats]>) =>
    // Every peer's round starts at 0 on the projector's clock; each report arrives `el` later.
    measure([...list.reduce((m, [id, st]) => applyStats(m, id, st, st.el), new Map()).values()]);

  it('with no caps (3 MiB, three students, fast LAN) shows no bound and says the bound needs caps', () => {
    // The case a teacher met: peaks of ~1.5 MiB/s made "bounds" of 6.1 s and 8.0 s beside D = 2.0 s.
    const m = swarm([
      ['S', done({ role: 's', up: 1.5 * MiB })],
      ...['a', 'b', 'c'].map((id, i): [string, PeerStats] => [
        id,
        done({ up: MiB, dn: 2 * MiB, el: 2000, dt: 1800 + i * 100 }),
      ]),
    ]);
    expect(m.D).toBeCloseTo(2.0);
    expect(m.boundCS).toBeNull();
    expect(m.boundP2P).toBeNull();
    expect(m.boundsNeed).toBe('caps');
    expect(resultOf(m, null)).toBeNull();
  });

  it('with caps gives both bounds, and withholds them when D came out below (caps changed mid-round)', () => {
    const caps = { cu: 512 * KiB };
    const at = (dt: number) =>
      swarm([
        ['S', done({ role: 's', cu: MiB })],
        ['a', done({ ...caps, dt, el: dt })],
        ['b', done({ ...caps, dt: dt - 100, el: dt })],
      ]);
    const ok = at(4000); // bound P2P = max(3 s, 2·3 MiB / 2 MiB/s = 3 s); CS = 6 s
    expect(ok.boundP2P).toBeCloseTo(3);
    expect(ok.boundCS).toBeCloseTo(6);
    expect(ok.boundsNeed).toBeNull();
    const fast = at(2500); // faster than D_P2P allows: the caps did not hold for the whole round
    expect(fast.D).toBeCloseTo(2.5);
    expect(fast.boundCS).toBeNull();
    expect(fast.boundP2P).toBeNull();
    expect(fast.boundsNeed).toBe('inconsistent');
  });

  it('holds for any mix of modes, caps, peaks and times (seeded sweep)', () => {
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const pick = (xs: number[]) => xs[Math.floor(rnd() * xs.length)]!;
    for (let run = 0; run < 500; run++) {
      const list: Array<[string, PeerStats]> = [
        ['S', done({ role: 's', cu: pick([0, 256 * KiB, MiB]), up: rnd() * 4 * MiB })],
      ];
      for (let i = 0; i < 1 + Math.floor(rnd() * 6); i++) {
        const dt = 500 + rnd() * 20000;
        list.push([
          `p${i}`,
          done({
            cu: pick([0, 128 * KiB, 512 * KiB]),
            cd: pick([0, 0, 256 * KiB]),
            up: rnd() * 4 * MiB,
            dn: rnd() * 4 * MiB,
            dt,
            el: dt,
          }),
        ]);
      }
      const m = swarm(list);
      expect(m.D).not.toBeNull();
      const applies = m.mode === 'cs' ? [m.boundCS, m.boundP2P] : [m.boundP2P];
      for (const b of applies) if (b !== null) expect(m.D!).toBeGreaterThanOrEqual(b);
      if (m.boundCS === null || m.boundP2P === null) expect(m.boundsNeed).not.toBeNull();
      if (m.boundP2P !== null) expect(m.uUnknown).toEqual([]); // a bound only from caps
    }
  });
});

describe('one clock for the round: D from the shared start to the last completion', () => {
  const MiB = 1024 * KiB;
  const all = packBitfield(8, () => true);
  // u_s = 1 MiB/s, two students with u_i = 512 KiB/s: D_P2P = max(F/u_s, 2F/(2 MiB/s)) = 2 s.
  const bound = boundP2P({ N: 2, F, us: MiB, uSum: MiB, dmin: Infinity });
  /** The projector received round 1's control at 10 s; stats reach it `delay` ms after they were sent. */
  function round(starts: Record<string, number>, ownMs: Record<string, number>, delay = 40) {
    let p = applyStats(new Map(), 'S', stats({ role: 's', cu: MiB, h: all, el: 0 }), 10_000 + delay);
    for (const [id, start] of Object.entries(starts)) {
      // One report mid-download, then the one that says it is done (el keeps running after it).
      p = applyStats(p, id, stats({ cu: 512 * KiB, el: 500 }), start + 500 + delay);
      p = applyStats(
        p,
        id,
        stats({ cu: 512 * KiB, h: all, el: ownMs[id]! + 700, dt: ownMs[id]! }),
        start + ownMs[id]! + 700 + delay,
      );
    }
    return p;
  }

  it('a late starter adds to D instead of finishing "sooner" on its own clock (the flaky e2e case)', () => {
    // Each student took 0.95 x the bound on its own clock (its time from its own "Download again"),
    // but b clicked 1.5 s after a: the class waited until b had the file.
    const own = { a: 0.95 * bound * 1000, b: 0.95 * bound * 1000 };
    const p = round({ a: 10_300, b: 11_800 }, own);
    const m = measure([...p.values()], new Set(), new Map([[1, 10_000]]));
    expect(m.D).toBeCloseTo((11_800 + own.b + 40 - 10_000) / 1000, 2); // from the control to b's completion
    expect(m.D!).toBeGreaterThanOrEqual(m.boundP2P!);
    expect(m.boundsNeed).toBeNull();
    expect(m.contributorsMedian).toBeCloseTo((10_300 + own.a + 40 - 10_000 + (11_800 + own.b + 40 - 10_000)) / 2000, 2);
    // Timed per peer, as before, D would be 0.95 x the bound: the rule would have to withhold it.
    expect(Math.max(own.a, own.b) / 1000).toBeLessThan(bound);
  });

  it("starts at the earlier of the control and the sharer's own start (a projector opened mid-round)", () => {
    const own = { a: 3000, b: 3000 };
    const p = round({ a: 10_100, b: 10_200 }, own);
    // This projector learned of round 1 only at 12 s: the peers' stats place the start earlier.
    const late = measure([...p.values()], new Set(), new Map([[1, 12_000]]));
    expect(late.D).toBeCloseTo((10_200 + 3000 + 40 - 10_040) / 1000, 2); // from the sharer's start (its stats' delay included)
    // No control seen at all (round 0): the earliest peer start.
    expect(measure([...p.values()]).D).toBeCloseTo(late.D!, 6);
    // While b is still downloading, the time so far is on the same clock.
    const running = applyStats(round({ a: 10_100 }, own), 'b', stats({ cu: 512 * KiB, el: 900 }), 10_200 + 900 + 40);
    const r = measure([...running.values()], new Set(), new Map([[1, 12_000]]));
    expect(r.D).toBeNull();
    expect(r.elapsed).toBeCloseTo((10_100 + 3000 + 40 - 10_040) / 1000, 2); // a's completion so far
  });

  it('a student cannot stretch the round with a forged elapsed time (only the control and the sharer set the start)', () => {
    // b claims it has been in the round for an hour.
    const forged = applyStats(round({ a: 10_100 }, { a: 3000 }), 'b', stats({ cu: 512 * KiB, el: 3_600_000 }), 13_240);
    expect(roundStart([...forged.values()], 10_000)).toBe(10_000);
    expect(roundStart([...forged.values()])).toBe(10_040); // the sharer's start, not b's claimed hour
    expect(measure([...forged.values()], new Set(), new Map([[1, 10_000]])).elapsed).toBeCloseTo(3.24, 2); // time so far: b's report came 3.24 s in, not an hour
  });

  it("a stats message that arrives late never moves a peer's start earlier than it was", () => {
    let p = applyStats(new Map(), 'a', stats({ el: 1000 }), 5_000); // started at 4 s at the latest
    p = applyStats(p, 'a', stats({ el: 2000 }), 7_500); // delayed by 0.5 s: says 5.5 s, the estimate stays 4 s
    expect(p.get('a')!.startAt).toBe(4_000);
    p = applyStats(p, 'a', stats({ r: 2, el: 100 }), 9_000); // a new round starts its own estimate
    expect(p.get('a')!.startAt).toBe(8_900);
  });
});

describe('free riders on the wall', () => {
  const MiB = 1024 * KiB;
  it('counts a free rider as u_i = 0 (known, so the bound stands) and gives both groups their median', () => {
    const all = (n: number) => packBitfield(n, () => true);
    let p = applyStats(new Map(), 'S', stats({ role: 's', cu: MiB, h: all(8) }), 0);
    const done: Array<[string, number]> = [
      ['a', 4000],
      ['b', 5000],
      ['c', 6000],
      ['f1', 9000],
      ['f2', 11000],
    ];
    // All start together (round start 0 on the projector's clock); each reports when it is done.
    for (const [id, dt] of done) p = applyStats(p, id, stats({ cu: 512 * KiB, h: all(8), el: dt, dt }), dt);
    const m = measure([...p.values()], new Set(['f1', 'f2', 'gone']));
    expect(m.freeRiders).toEqual(['f1', 'f2']);
    expect(m.uUnknown).toEqual([]); // capped contributors and free riders: every u_i is known
    expect(m.uSum).toBe(3 * 512 * KiB);
    expect(m.boundP2P).toBeCloseTo((5 * F) / (MiB + 3 * 512 * KiB));
    expect([m.contributorsMedian, m.freeRidersMedian]).toEqual([5, 10]);
    // The chart's dots: every completion, earliest first, the free riders marked.
    expect(m.completions).toEqual([
      { id: 'a', seconds: 4, freeRider: false },
      { id: 'b', seconds: 5, freeRider: false },
      { id: 'c', seconds: 6, freeRider: false },
      { id: 'f1', seconds: 9, freeRider: true },
      { id: 'f2', seconds: 11, freeRider: true },
    ]);
    const row = resultOf(m, null)!;
    expect([row.freeRiders, row.contributorsMedian, row.freeRidersMedian]).toEqual([2, 5, 10]);
    expect(resultsToCsv([row]).trim().split('\n')[1]!.endsWith(',2,5.00,10.00')).toBe(true);
    expect(measure([...p.values()]).freeRidersMedian).toBeNull(); // nobody free riding
  });

  it('shows no D_P2P in a free-rider round where a contributor has no cap, and says the bound needs caps', () => {
    // The projector once showed "D_P2P bound 8.0 s" beside Σu_i "?": a bound only from known u_i.
    const all = packBitfield(8, () => true);
    let p = applyStats(new Map(), 'S', stats({ role: 's', cu: MiB, h: all }), 0);
    for (const [id, cu] of [
      ['a', 512 * KiB],
      ['b', 0], // its cap not applied: u_i unknown
      ['f1', 0], // a free rider: u_i = 0, known whatever its cap
    ] as const)
      p = applyStats(p, id, stats({ cu, up: 300 * KiB, h: all, el: 9000, dt: 9000 }), 0);
    const m = measure([...p.values()], new Set(['f1']));
    expect(m.uUnknown).toEqual(['b']);
    expect(m.boundP2P).toBeNull();
    expect(m.boundCS).not.toBeNull(); // u_s is capped: D_cs needs nothing else
    expect(m.boundsNeed).toBe('caps');
    expect(resultOf(m, null)).toBeNull(); // no row without both bounds
  });
});

describe('results export', () => {
  const base = {
    mode: 'p2p' as const,
    N: 6,
    F,
    us: 262144,
    uSum: 786432,
    dmin: null,
    capSharerUp: 262144,
    capPeerUp: 131072,
    capPeerDown: 0,
    boundCS: 48,
    boundP2P: 12,
    freeRiders: 0,
    contributorsMedian: null,
    freeRidersMedian: null,
  };
  const rows = upsertResult(upsertResult([{ ...base, round: 2, mode: 'cs', D: 52.5 }], { ...base, round: 1, D: 20 }), {
    ...base,
    round: 1,
    D: 14,
  });

  it('upserts by round and keeps rounds sorted', () => {
    expect(rows.map((r) => [r.round, r.D])).toEqual([
      [1, 14],
      [2, 52.5],
    ]);
  });
  it('writes CSV with a header and one line per round', () => {
    const lines = resultsToCsv(rows).trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(
      /^round,mode,N,F_bytes,.*measured_D_s,bound_cs_s,bound_p2p_s,D_over_bound,free_riders,contributors_median_s,free_riders_median_s$/,
    );
    expect(lines[1]).toBe('1,p2p,6,2097152,262144,786432,,262144,131072,0,14.00,48.00,12.00,1.167,0,,');
    expect(lines[2]).toContain(',cs,');
    expect(lines[2]!.endsWith('52.50,48.00,12.00,1.094,0,,')).toBe(true);
  });
  it('writes self-describing JSON', () => {
    const j = JSON.parse(resultsToJson(rows, 'swarmX', new Date('2026-01-02T03:04:05Z')));
    expect(j.rounds).toHaveLength(2);
    expect(j.units.times).toBe('s');
    expect(j.exportedAt).toBe('2026-01-02T03:04:05.000Z');
  });
});

describe('relayed links', () => {
  it('reads the relayed flag (16) of a neighbor link', () => {
    const peers = applyStats(
      new Map(),
      'A',
      stats({
        nb: [
          ['B', 0, 0, 16 | 1],
          ['C', 0, 0, 1],
        ],
      }),
      0,
    );
    const nb = peers.get('A')!.neighbors;
    expect(nb.map((n) => [n.id, n.relayed, n.weUnchoke])).toEqual([
      ['B', true, true],
      ['C', false, true],
    ]);
  });
});
