/**
 * The page side of a drop the worker decided on: `closePeer` destroys that WebRTC connection and
 * frees its slot; a banned peer (`refuse`) is neither called nor answered again. simple-peer is
 * replaced by a stub (Node has no RTCPeerConnection); the connector's own logic is what runs.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakePeers as peers, stubConnectorOptions } from '../testing/fake-peer';
import { FakeTracker } from '../testing/fake-tracker';
import { connectAndProve, until } from '../testing/fake-peer-auth';

vi.mock('./simple-peer', async () => ({ SimplePeer: (await import('../testing/fake-peer')).FakePeer }));

const { SwarmConnector } = await import('./swarm-connector');
type Connector = InstanceType<typeof SwarmConnector>;

const fakeTracker = () => new FakeTracker('me');

describe('SwarmConnector: drops the worker asks for', () => {
  let tracker: FakeTracker;
  let connector: Connector;
  let links: Map<string, { connecting: number; connected: number }>;

  beforeEach(() => {
    vi.useFakeTimers();
    peers.length = 0;
    tracker = fakeTracker();
    links = new Map();
    connector = new SwarmConnector(
      stubConnectorOptions(tracker, {
        maxNeighbors: 2,
        onLinks: (swarm, l) => links.set(swarm, l),
      }),
    );
    connector.join('s');
  });
  afterEach(() => {
    connector.close();
    vi.useRealTimers();
  });

  it('closePeer destroys that connection, frees its slot and asks the tracker for a replacement', async () => {
    tracker.offerPeers('s', ['a', 'b', 'c']);
    expect(peers).toHaveLength(2); // two slots
    for (const p of peers) await connectAndProve(p);
    await until(() => links.get('s')?.connected === 2);

    connector.closePeer('s', 'a');
    expect(peers[0]?.destroyed).toBe(true);
    expect(peers[1]?.destroyed).toBe(false);
    expect(links.get('s')?.connected).toBe(1);
    const before = tracker.announced.length;
    vi.advanceTimersByTime(2_000);
    expect(tracker.announced.length).toBe(before + 1);
    tracker.offerPeers('s', ['a', 'b', 'c']);
    expect(peers).toHaveLength(3); // the free slot is used again ('a' was not banned)
  });

  it('closePeer for a connection it no longer has does nothing', () => {
    tracker.offerPeers('s', ['a']);
    connector.closePeer('s', 'zz');
    connector.closePeer('other', 'a');
    expect(peers[0]?.destroyed).toBe(false);
  });

  it('a refused (banned) peer is neither called again nor answered', () => {
    tracker.offerPeers('s', ['a']);
    connector.refuse('s', 'a');
    connector.closePeer('s', 'a');
    tracker.offerPeers('s', ['a']);
    tracker.offerFrom('s', 'a');
    expect(peers).toHaveLength(1);
    tracker.offerFrom('s', 'b'); // others still are
    expect(peers).toHaveLength(2);
  });

  it('leaving the swarm forgets its refusals (a new round starts a new engine)', () => {
    connector.refuse('s', 'a');
    connector.leave('s');
    connector.join('s');
    tracker.offerPeers('s', ['a']);
    expect(peers).toHaveLength(1);
  });
});

describe('SwarmConnector: failed connections ("N people are trying to reach you")', () => {
  afterEach(() => vi.useRealTimers());

  it('counts distinct failed peers with a reason, until they connect or leave', async () => {
    vi.useFakeTimers();
    peers.length = 0;
    const tracker = fakeTracker();
    const links = new Map<string, { failed: number; failedPeers: number; failure?: string }>();
    const connector = new SwarmConnector(
      stubConnectorOptions(tracker, {
        connectTimeoutMs: 20_000,
        onLinks: (swarm, l) => links.set(swarm, l),
      }),
    );
    connector.join('s');
    tracker.offerFrom('s', 'a');
    tracker.offerFrom('s', 'b');
    await vi.advanceTimersByTimeAsync(20_000);
    // The stub connection gathers no candidate.
    expect(links.get('s')).toMatchObject({ failed: 2, failedPeers: 2, failure: 'no-candidates' });
    tracker.offerFrom('s', 'a'); // tries again...
    await vi.advanceTimersByTimeAsync(20_000);
    expect(links.get('s')).toMatchObject({ failed: 3, failedPeers: 2 }); // ...still one person
    tracker.offerFrom('s', 'a');
    await connectAndProve(peers.at(-1)!);
    await until(() => links.get('s')?.failedPeers === 1);
    connector.close();
  });
});

describe('SwarmConnector: relay only', () => {
  it('asks for relay candidates only while the setting is on (new connections)', () => {
    peers.length = 0;
    const tracker = fakeTracker();
    let relayOnly = true;
    const connector = new SwarmConnector(
      stubConnectorOptions(tracker, {
        relayOnly: () => relayOnly,
      }),
    );
    connector.join('s');
    tracker.offerPeers('s', ['a']);
    relayOnly = false;
    tracker.offerPeers('s', ['b']);
    expect(peers.map((p) => p.opts.config?.iceTransportPolicy)).toEqual(['relay', undefined]);
    connector.close();
  });
});

describe('SwarmConnector: ICE servers still loading', () => {
  it('announces at once; peer lists that come meanwhile are answered, in order, once the servers are known', async () => {
    peers.length = 0;
    const tracker = fakeTracker();
    let resolve!: (servers: RTCIceServer[]) => void;
    const iceServers = new Promise<RTCIceServer[]>((r) => (resolve = r));
    const connector = new SwarmConnector(
      stubConnectorOptions(tracker, {
        iceServers,
      }),
    );
    connector.join('s');
    expect(tracker.announced.length).toBe(1);
    tracker.offerPeers('s', ['a', 'b']);
    expect(peers.length).toBe(0); // no connection before the ICE servers are known
    resolve([{ urls: 'stun:example.test' }]);
    await iceServers;
    await Promise.resolve();
    expect(peers.map((p) => (p.opts as { config?: { iceServers?: unknown } }).config?.iceServers)).toEqual([
      [{ urls: 'stun:example.test' }],
      [{ urls: 'stun:example.test' }],
    ]);
    connector.join('s'); // joining again does not announce again
    expect(tracker.announced.length).toBe(1);
    connector.close();
  });
});
