/**
 * The route label of a connected neighbor: read when the connection comes up, again 5 s later, and
 * while it reads `nat` a few more times, because the peer's srflx candidate (where the STUN server
 * saw it) can arrive after the connection is up. simple-peer is a stub with scripted getStats.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RouteInfo } from './ice-path';
import { fakePeers as peers, stubConnectorOptions } from '../testing/fake-peer';
import { FakeTracker } from '../testing/fake-tracker';
import { connectAndProve, until } from '../testing/fake-peer-auth';

vi.mock('./simple-peer', async () => ({ SimplePeer: (await import('../testing/fake-peer')).FakePeer }));

const { SwarmConnector } = await import('./swarm-connector');

const SCHOOL = '203.0.113.10';
/** A direct pair between two students behind one NAT, as Chromium shows it (the peer-reflexive address hidden). */
function stats(peerSrflxKnown: boolean) {
  return [
    { id: 't', type: 'transport', selectedCandidatePairId: 'p' },
    { id: 'p', type: 'candidate-pair', localCandidateId: 'l', remoteCandidateId: 'r' },
    { id: 'l', type: 'local-candidate', candidateType: 'host', address: '10.1.1.10' },
    { id: 'r', type: 'remote-candidate', candidateType: 'prflx', address: null },
    { id: 'ls', type: 'local-candidate', candidateType: 'srflx', address: SCHOOL },
    ...(peerSrflxKnown ? [{ id: 'rs', type: 'remote-candidate', candidateType: 'srflx', address: SCHOOL }] : []),
  ];
}

describe('SwarmConnector: route labels', () => {
  let connector: InstanceType<typeof SwarmConnector>;
  let tracker: FakeTracker;
  let seen: (RouteInfo | undefined)[];
  let reads: number;
  let peerSrflxKnown: boolean;

  beforeEach(() => {
    vi.useFakeTimers();
    peers.length = 0;
    seen = [];
    reads = 0;
    peerSrflxKnown = false;
    tracker = new FakeTracker('me');
    connector = new SwarmConnector(stubConnectorOptions(tracker, { onRoute: (_s, _p, route) => seen.push(route) }));
    connector.join('s');
  });
  afterEach(() => {
    connector.close();
    vi.useRealTimers();
  });

  async function connectOne() {
    tracker.offerPeers('s', ['a']);
    const peer = peers[0]!;
    Object.assign(peer._pc, {
      getStats: async () => {
        reads++;
        return new Map(stats(peerSrflxKnown).map((e) => [e.id, e]));
      },
    });
    await connectAndProve(peer);
    await until(() => seen.length === 1);
  }

  const advance = async (ms: number) => {
    await vi.advanceTimersByTimeAsync(ms);
  };

  it('a neighbor read as behind a NAT is relabelled on the LAN once its srflx candidate arrives', async () => {
    await connectOne();
    expect(seen.at(-1)?.route).toBe('nat'); // the STUN server's view of the peer is not known yet
    await advance(5_000);
    expect(seen.at(-1)?.route).toBe('nat');
    peerSrflxKnown = true; // trickled in late: the peer is behind the same public address
    await advance(5_000);
    expect(seen.at(-1)?.route).toBe('lan');
    const after = reads;
    await advance(60_000);
    expect(reads).toBe(after); // a settled `lan` is not read again
  });

  it('a neighbor really behind another NAT stops being read after a bounded number of tries', async () => {
    await connectOne();
    await advance(120_000);
    expect(seen.every((r) => r?.route === 'nat')).toBe(true);
    expect(reads).toBe(1 + 1 + 6); // on connect, 5 s later, then NAT_REREADS more
  });
});
