/**
 * Neighbor slots: a page calls peers up to `maxNeighbors` and answers offers up to a third more, so
 * the first peers of a swarm cannot close it to everyone who comes later, and a flood of offers
 * still meets a hard cap; a call a full peer leaves unanswered is not reported as a failure. simple-peer is replaced by a stub (Node has no RTCPeerConnection).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakePeers as peers, stubConnectorOptions } from '../testing/fake-peer';
import { FakeTracker } from '../testing/fake-tracker';
import { connectAndProve, until } from '../testing/fake-peer-auth';

vi.mock('./simple-peer', async () => ({ SimplePeer: (await import('../testing/fake-peer')).FakePeer }));

const { SwarmConnector } = await import('./swarm-connector');

async function fullPage(): Promise<{ tracker: FakeTracker; connector: InstanceType<typeof SwarmConnector> }> {
  peers.length = 0;
  const tracker = new FakeTracker('me');
  const connector = new SwarmConnector(
    stubConnectorOptions(tracker, {
      maxNeighbors: 12,
    }),
  );
  connector.join('s');
  tracker.offerPeers(
    's',
    Array.from({ length: 30 }, (_, i) => `old${i}`),
  );
  for (const p of peers) await connectAndProve(p);
  await until(() => connector.links('s').connected === peers.length);
  return { tracker, connector };
}

describe('SwarmConnector: neighbor slots', () => {
  afterEach(() => vi.useRealTimers());

  it('calls at most maxNeighbors peers, and then asks the tracker for no more', async () => {
    vi.useFakeTimers();
    const { tracker, connector } = await fullPage();
    expect(peers.filter((p) => p.opts.initiator)).toHaveLength(12);
    const announces = tracker.announced.length;
    connector.refill('s');
    expect(tracker.announced.length).toBe(announces);
    connector.close();
  });

  it('a full page still answers a newcomer (a class joining one after another is not shut out)', async () => {
    vi.useFakeTimers();
    const { tracker, connector } = await fullPage();
    tracker.offerFrom('s', 'newcomer');
    expect(peers.at(-1)?.opts.initiator).toBe(false);
    expect(peers).toHaveLength(13);
    connector.close();
  });

  it('a flood of offers from many ids meets a hard cap of maxNeighbors plus a third', async () => {
    vi.useFakeTimers();
    const { tracker, connector } = await fullPage();
    for (let i = 0; i < 500; i++) tracker.offerFrom('s', `flood${i}`);
    expect(peers.filter((p) => !p.opts.initiator)).toHaveLength(4);
    expect(connector.links('s')).toMatchObject({ connected: 12, connecting: 4 });
    connector.close();
  });

  it('a call a full peer never answers is not a failure ("trying to reach you" stays 0)', async () => {
    vi.useFakeTimers();
    peers.length = 0;
    const tracker = new FakeTracker('me');
    const links = new Map<string, { failed: number; failedPeers: number }>();
    const connector = new SwarmConnector(
      stubConnectorOptions(tracker, {
        connectTimeoutMs: 20_000,
        onLinks: (swarm, l) => links.set(swarm, l),
      }),
    );
    connector.join('s');
    tracker.offerPeers('s', ['full']); // we call; it never answers
    tracker.offerFrom('s', 'silent'); // it called us, then went quiet: that one did try
    await vi.advanceTimersByTimeAsync(20_000);
    expect(links.get('s')).toMatchObject({ failed: 1, failedPeers: 1 });
    expect(connector.links('s')).toMatchObject({ connecting: 0, connected: 0 });
    connector.close();
  });
});
