/**
 * The route label of a connected neighbor: read when the connection comes up and again 5 s later
 * (ICE may switch pairs), and again whenever a srflx address is signaled after that, because the
 * peer's srflx candidate (where the STUN server saw it) can arrive after the connection is up.
 * simple-peer is a stub with scripted getStats.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RouteInfo } from './ice-path';
import { fakePeers as peers, stubConnectorOptions } from '../testing/fake-peer';
import { FakeTracker } from '../testing/fake-tracker';
import { connectAndProve, until } from '../testing/fake-peer-auth';

vi.mock('./simple-peer', async () => ({ SimplePeer: (await import('../testing/fake-peer')).FakePeer }));

const { SwarmConnector } = await import('./swarm-connector');

const SCHOOL = '203.0.113.10';
/**
 * A direct pair between two students behind one NAT, as Chromium shows it: the peer-reflexive
 * address hidden, and the peer's srflx candidate not listed (its failed pair was pruned).
 */
function stats() {
  return [
    { id: 't', type: 'transport', selectedCandidatePairId: 'p' },
    { id: 'p', type: 'candidate-pair', localCandidateId: 'l', remoteCandidateId: 'r' },
    { id: 'l', type: 'local-candidate', candidateType: 'host', address: '10.1.1.10' },
    { id: 'r', type: 'remote-candidate', candidateType: 'prflx', address: null },
    { id: 'ls', type: 'local-candidate', candidateType: 'srflx', address: SCHOOL },
  ];
}

/** The peer's srflx candidate as simple-peer trickles it through the tracker. */
const srflxFrom = (address: string) => ({
  type: 'candidate',
  candidate: {
    candidate: `candidate:2 1 udp 1686052607 ${address} 5000 typ srflx raddr 10.1.1.11 rport 5000`,
    sdpMid: '0',
  },
});

describe('SwarmConnector: route labels', () => {
  let connector: InstanceType<typeof SwarmConnector>;
  let tracker: FakeTracker;
  let seen: (RouteInfo | undefined)[];
  let reads: number;

  beforeEach(() => {
    vi.useFakeTimers();
    peers.length = 0;
    seen = [];
    reads = 0;
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
        return new Map(stats().map((e) => [e.id, e]));
      },
    });
    await connectAndProve(peer);
    await until(() => seen.length === 1);
  }

  const advance = async (ms: number) => {
    await vi.advanceTimersByTimeAsync(ms);
  };

  it('a neighbor read as behind a NAT is relabelled on the LAN as soon as its srflx candidate arrives', async () => {
    await connectOne();
    expect(seen.at(-1)?.route).toBe('nat'); // the STUN server's view of the peer is not known yet
    tracker.relay('s', 'a', srflxFrom(SCHOOL)); // trickled in late: behind the same public address
    await until(() => seen.at(-1)?.route === 'lan');
    await advance(60_000);
    expect(seen.at(-1)?.route).toBe('lan');
  });

  it('a neighbor behind another NAT stays `nat`, and a settled route is not read again', async () => {
    await connectOne();
    tracker.relay('s', 'a', srflxFrom('203.0.113.12'));
    await until(() => reads === 2);
    await advance(120_000);
    expect(seen.every((r) => r?.route === 'nat')).toBe(true);
    expect(reads).toBe(3); // on connect, on the srflx address, 5 s after connecting
    tracker.relay('s', 'a', srflxFrom('203.0.113.12')); // an address already heard: nothing new to read
    await advance(10_000);
    expect(reads).toBe(3);
  });
});
