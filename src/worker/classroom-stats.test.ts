import { describe, expect, it } from 'vitest';
import type { EngineSnapshot, NeighborSnapshot } from '../engine/index';
import { parseClassroomClient } from '../protocol/classroom';
import { unpackBitfield } from '../protocol/classroom-bitfield';
import { statsFromSnapshot } from './classroom-stats';

const swarm = Buffer.alloc(32, 3).toString('base64url');

function neighbor(over: Partial<NeighborSnapshot>): NeighborSnapshot {
  return {
    peerId: 'n',
    handshaked: true,
    isOrigin: false,
    amChoking: true,
    amInterested: false,
    peerChoking: true,
    peerInterested: false,
    optimistic: false,
    snubbed: false,
    defector: false,
    downRate: 0,
    upRate: 0,
    bytesDown: 0,
    bytesUp: 0,
    requestsOut: 0,
    requestsIn: 0,
    haveCount: 0,
    have: new Uint8Array(),
    ...over,
  };
}

function snapshot(over: Partial<EngineSnapshot> = {}): EngineSnapshot {
  return {
    localPeerId: 'me',
    mode: 'p2p',
    hasMetadata: true,
    complete: false,
    chunkCount: 10,
    verifiedChunks: 3,
    totalBytes: 10 * 262144,
    verifiedBytes: 3 * 262144,
    progress: 0.3,
    have: Uint8Array.from([0b1010_0000, 0b0100_0000]),
    inFlight: [4, 5],
    availability: new Uint16Array(10),
    downRate: 1234.6,
    upRate: 99.2,
    bytesDown: 0,
    bytesUp: 0,
    neighbors: [
      neighbor({ peerId: 'quiet', downRate: 1 }),
      neighbor({ peerId: `${swarm}/relayed`, amChoking: false, peerChoking: false, upRate: 500, peerInterested: true }),
      neighbor({ peerId: 'opt', amChoking: false, optimistic: true, downRate: 700.7 }),
      neighbor({ peerId: 'half-open', handshaked: false, upRate: 1e6 }),
      neighbor({ peerId: 'bad id!', upRate: 5 }),
    ],
    banned: [],
    ...over,
  };
}

const ctx = { role: 'p' as const, round: 2, mode: 'p2p' as const, capUp: 131072, capDown: 0, elapsedMs: 4321.7 };

describe('stats from an engine snapshot', () => {
  it('packs have, rates, choke flags and the round, and passes the protocol validation', () => {
    const s = statsFromSnapshot(snapshot(), { ...ctx, inFlight: [1, 3, 99] })!;
    expect(unpackBitfield(s.h, 10).flatMap((h, i) => (h ? [i] : []))).toEqual([0, 2, 9]);
    expect(s).toMatchObject({ r: 2, n: 10, F: 10 * 262144, up: 99, dn: 1235, cu: 131072, cd: 0, el: 4322, f: [1, 3] });
    expect(s.dt).toBeUndefined();
    expect(s.nb).toEqual([
      ['opt', 0, 701, 1 | 2],
      ['relayed', 500, 0, 1 | 4 | 8],
      ['quiet', 0, 1, 0],
    ]);
    expect(() => parseClassroomClient({ type: 'classroom-stats', swarm, key: 'b'.repeat(64), stats: s })).not.toThrow();
  });

  it("reports the snapshot's chunks in flight unless the caller overrides them", () => {
    expect(statsFromSnapshot(snapshot(), ctx)!.f).toEqual([4, 5]);
    expect(statsFromSnapshot(snapshot({ inFlight: [7, 12] }), ctx)!.f).toEqual([7]);
  });

  it('gives null before the metadata is known and carries the completion time once done', () => {
    expect(statsFromSnapshot(snapshot({ hasMetadata: false, chunkCount: 0, have: new Uint8Array() }), ctx)).toBeNull();
    expect(statsFromSnapshot(snapshot(), { ...ctx, doneMs: 9000.4 })!.dt).toBe(9000);
  });
});
