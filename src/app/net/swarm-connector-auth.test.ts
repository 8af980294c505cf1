/**
 * Peer-auth in the connector: a peer that cannot prove it holds the link is closed, counted as
 * `not-holder`, and never reaches the worker (no admitted channel, no relayed byte); a holder is
 * admitted. simple-peer is a stub (Node has no RTCPeerConnection); the connector's own logic and
 * the real exchange (peer-auth.ts, real HMAC) run, the peer's side played by `connectAndProve`.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakePeers as peers, stubConnectorOptions } from '../testing/fake-peer';
import { FakeTracker } from '../testing/fake-tracker';
import { connectAndProve, until } from '../testing/fake-peer-auth';
import { PeerAuthError } from './peer-auth';

vi.mock('./simple-peer', async () => ({ SimplePeer: (await import('../testing/fake-peer')).FakePeer }));

const { SwarmConnector } = await import('./swarm-connector');
type Connector = InstanceType<typeof SwarmConnector>;
type Links = ReturnType<Connector['links']>;

const WRONG_KEY = new Uint8Array(32).fill(0x11);

async function outcome(p: Promise<void>): Promise<string> {
  return p.then(
    () => 'ok',
    (err: PeerAuthError) => err.reason,
  );
}

for (const canTransferChannels of [true, false]) {
  describe(`SwarmConnector peer-auth (${canTransferChannels ? 'transferred channels' : 'relay mode'})`, () => {
    let tracker: FakeTracker;
    let connector: Connector;
    let links: Links;
    /** Everything that reached the worker side. */
    let toWorker: string[];

    beforeEach(() => {
      vi.useFakeTimers();
      peers.length = 0;
      tracker = new FakeTracker('me');
      toWorker = [];
      connector = new SwarmConnector(
        stubConnectorOptions(tracker, {
          authTimeoutMs: 5_000,
          sink: {
            canTransferChannels,
            addChannel: (_s, p) => toWorker.push(`channel ${p}`),
            admitChannel: (_s, p) => toWorker.push(`admit ${p}`),
            addRelay: (_s, link) => toWorker.push(`relay ${link}`),
            relayData: (link, data) => toWorker.push(`data ${link} ${data.byteLength}`),
            relayWritten() {},
            relayClosed() {},
          },
          onLinks: (_s, l) => (links = l),
        }),
      );
      connector.join('s');
    });
    afterEach(() => {
      connector.close();
      vi.useRealTimers();
    });

    /** What the worker got beyond the (held, unadmitted) transferred channel itself. */
    const admitted = () => toWorker.filter((x) => !x.startsWith('channel'));

    it('a peer with the wrong key is refused: closed, counted as not-holder, never admitted, not called again', async () => {
      tracker.offerPeers('s', ['mallory']);
      const mallory = peers[0]!;
      // Mallory's engine would start at once if it could: bytes on the chunk channel right away.
      mallory.chunks.receive(new ArrayBuffer(100));
      expect(await outcome(connectAndProve(mallory, WRONG_KEY))).toBe('bad-proof');
      await until(() => mallory.destroyed);
      expect(admitted()).toEqual([]);
      expect(links).toMatchObject({ connected: 0, failed: 1, failedPeers: 1, failure: 'not-holder', notHolders: 1 });
      // What Mallory got on simple-peer's channel: our hello and our proof (HMACs), nothing else.
      expect(mallory.sent.map((m) => (m as Uint8Array).length)).toEqual([34, 33]);
      tracker.offerPeers('s', ['mallory']);
      tracker.offerFrom('s', 'mallory');
      expect(peers).toHaveLength(1);
    });

    it('a holder is admitted, and the chunk bytes it sent early follow in order', async () => {
      tracker.offerPeers('s', ['alice']);
      const alice = peers[0]!;
      alice.chunks.receive(new ArrayBuffer(7));
      expect(await outcome(connectAndProve(alice))).toBe('ok');
      await until(() => links.connected === 1);
      alice.chunks.receive(new ArrayBuffer(9));
      expect(admitted()).toEqual(
        canTransferChannels ? ['admit alice'] : ['relay s/alice', 'data s/alice 7', 'data s/alice 9'],
      );
      expect(links).toMatchObject({ failed: 0, notHolders: 0 });
    });

    it('a silent peer times out: closed and counted, but may be called again later', async () => {
      tracker.offerPeers('s', ['bob']);
      peers[0]!.emit('connect');
      await until(() => peers[0]!.sent.length === 1); // our hello
      await vi.advanceTimersByTimeAsync(5_000);
      await until(() => peers[0]!.destroyed);
      expect(admitted()).toEqual([]);
      expect(links).toMatchObject({ failure: 'not-holder', notHolders: 1 });
      await vi.advanceTimersByTimeAsync(2_000); // the refill
      tracker.offerPeers('s', ['bob']);
      expect(peers).toHaveLength(2);
    });

    it("a peer flooding simple-peer's channel before the exchange starts is refused", async () => {
      tracker.offerPeers('s', ['eve']);
      for (let i = 0; i < 1_000; i++) peers[0]!.emit('data', new Uint8Array(34));
      peers[0]!.emit('connect');
      await until(() => peers[0]!.destroyed);
      expect(admitted()).toEqual([]);
      expect(links).toMatchObject({ notHolders: 1 });
    });

    if (!canTransferChannels)
      it('relay mode: more than 1 MiB on the chunk channel before admission closes the peer', async () => {
        tracker.offerPeers('s', ['eve']);
        for (let i = 0; i < 17; i++) peers[0]!.chunks.receive(new ArrayBuffer(64 * 1024));
        await until(() => peers[0]!.destroyed);
        expect(admitted()).toEqual([]);
        expect(links).toMatchObject({ notHolders: 1 });
      });
  });
}
