import { describe, expect, it } from 'vitest';
import type { PeerStats } from '../../../protocol/classroom';
import { packBitfield } from '../../../protocol/classroom-bitfield';
import { peerStats } from '../../../protocol/testing/peer-stats';
import { boundCS, boundP2P } from './bounds';
import { availability, measure } from './measured';
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
  peers = applyStats(peers, 'S', stats({ role: 's', h: packBitfield(8, () => true), up: 200 * KiB, cu: 256 * KiB }), 0);
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

  it('keeps the peak rate of the round and uses caps as capacity', () => {
    const m = measure([...peers.values()]);
    expect(m.N).toBe(2);
    expect(m.F).toBe(F);
    expect(m.us).toBe(256 * KiB); // the cap, not the 200 KiB/s seen
    expect(m.ui).toEqual({ a: 100 * KiB, b: 128 * KiB }); // a: peak; b: its cap
    expect(m.uSum).toBe(228 * KiB);
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

  it('gives D as the slowest peer once every peer is done; peaks carry into a new round', () => {
    let p = applyStats(peers, 'a', stats({ h: packBitfield(8, () => true), el: 9000, dt: 8000 }), 2000);
    p = applyStats(p, 'b', stats({ h: packBitfield(8, () => true), el: 9500, dt: 9500, cu: 128 * KiB }), 2000);
    const m = measure([...p.values()]);
    expect(m.done).toBe(2);
    expect(m.D).toBeCloseTo(9.5);
    const row = resultOf(m, {
      round: 1,
      mode: 'p2p',
      sharerUp: 256 * KiB,
      peerUp: 128 * KiB,
      peerDown: 0,
      perPeer: {},
    });
    expect(row).toMatchObject({ round: 1, N: 2, D: 9.5, capPeerUp: 128 * KiB });

    // Round 2 starts: old-round stats of 'b' don't count; 'a' keeps its best rate as its capacity.
    const q = applyStats(p, 'a', stats({ r: 2, m: 'cs', up: 1 * KiB, dn: 10 * KiB, el: 500 }), 3000);
    const m2 = measure([...q.values()]);
    expect(m2.round).toBe(2);
    expect(m2.N).toBe(1);
    expect(m2.ui).toEqual({ a: 100 * KiB });
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
    expect(lines[0]).toMatch(/^round,mode,N,F_bytes,.*measured_D_s,bound_cs_s,bound_p2p_s,D_over_bound$/);
    expect(lines[1]).toBe('1,p2p,6,2097152,262144,786432,,262144,131072,0,14.00,48.00,12.00,1.167');
    expect(lines[2]).toContain(',cs,');
    expect(lines[2]!.endsWith('52.50,48.00,12.00,1.094')).toBe(true);
  });
  it('writes self-describing JSON', () => {
    const j = JSON.parse(resultsToJson(rows, 'swarmX', new Date('2026-01-02T03:04:05Z')));
    expect(j.rounds).toHaveLength(2);
    expect(j.units.times).toBe('s');
    expect(j.exportedAt).toBe('2026-01-02T03:04:05.000Z');
  });
});
