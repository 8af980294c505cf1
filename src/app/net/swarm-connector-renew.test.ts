/**
 * Fresh 'chunks' channels on connections that are up (renew-message.ts): a download started over
 * (a classroom round) keeps its WebRTC neighbors. The new engine gets its end only once the
 * neighbor opened the other; a neighbor's notes are taken only after it proved it holds the link,
 * with growing ids, at most one per 250 ms; an unanswered renewal drops the connection.
 * simple-peer is replaced by a stub (Node has no RTCPeerConnection); the connector's own logic runs.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakePeers as peers, nullSink, stubConnectorOptions, type FakePeer } from '../testing/fake-peer';
import { FakeTracker } from '../testing/fake-tracker';
import { connectAndProve, until } from '../testing/fake-peer-auth';
import { decodeRenew, encodeRenew, type RenewNote } from './renew-message';
import type { NeighborSink } from './swarm-connector';

vi.mock('./simple-peer', async () => ({ SimplePeer: (await import('../testing/fake-peer')).FakePeer }));

const { SwarmConnector } = await import('./swarm-connector');
type Connector = InstanceType<typeof SwarmConnector>;

const id = (name: string) => name.padEnd(16, '_');
const A = id('a');
const B = id('b');

/** The renew notes the connector sent to `peer`. */
const notes = (peer: FakePeer): RenewNote[] =>
  peer.sent.map((d) => decodeRenew(d)).filter((n): n is RenewNote => n !== undefined);

describe('SwarmConnector: a download started over keeps its connections', () => {
  let tracker: FakeTracker;
  let connector: Connector;
  let calls: string[];

  const make = async (sink: Partial<NeighborSink> = {}) => {
    calls = [];
    connector = new SwarmConnector(
      stubConnectorOptions(tracker, {
        sink: {
          ...nullSink,
          addChannel: (_s, peerId) => calls.push(`add ${peerId.replace(/_+$/, '')}`),
          admitChannel: (_s, peerId) => calls.push(`admit ${peerId.replace(/_+$/, '')}`),
          ...sink,
        },
      }),
    );
    connector.join('s');
    tracker.offerPeers('s', [A, B]);
    await connectAndProve(peers[0]!);
    await until(() => connector.links('s').connected === 1); // b is still being connected
    calls.length = 0;
  };

  beforeEach(() => {
    vi.useFakeTimers();
    peers.length = 0;
    tracker = new FakeTracker(id('me'));
  });
  afterEach(() => {
    connector.close();
    vi.useRealTimers();
  });

  it('gives each connection that is up a new channel, to the engine once the neighbor answers', async () => {
    await make();
    connector.renew('s');
    const a = peers[0]!;
    expect(a.channelIds).toEqual([1000, 1001]);
    expect(notes(a)).toEqual([{ kind: 'renew', id: 1001 }]);
    expect(calls).toEqual(['add a']); // held in the worker, not yet the engine's
    expect(peers[1]!.channelIds).toEqual([1000]); // still connecting: its first channel goes to the new engine
    a.emit('data', encodeRenew({ kind: 'renewed', id: 1001 }));
    expect(calls).toEqual(['add a', 'admit a']);
    expect(a.destroyed).toBe(false);
    expect(tracker.left).toEqual([]); // no leave, no new connections
    connector.renew('s');
    expect(a.channelIds).toEqual([1000, 1001, 1002]);
  });

  it("opens its end of a neighbor's new channel, hands it to the engine and answers", async () => {
    await make();
    const a = peers[0]!;
    a.emit('data', encodeRenew({ kind: 'renew', id: 1001 }));
    expect(a.channelIds).toEqual([1000, 1001]);
    expect(calls).toEqual(['add a', 'admit a']);
    expect(notes(a)).toEqual([{ kind: 'renewed', id: 1001 }]);
  });

  it('two sides starting over at once make one channel: each takes the other’s renew as the answer', async () => {
    await make();
    connector.renew('s');
    const a = peers[0]!;
    a.emit('data', encodeRenew({ kind: 'renew', id: 1001 }));
    expect(a.channelIds).toEqual([1000, 1001]); // not created twice
    expect(calls).toEqual(['add a', 'admit a']);
    expect(notes(a)).toEqual([
      { kind: 'renew', id: 1001 },
      { kind: 'renewed', id: 1001 },
    ]);
  });

  it('an unanswered renewal drops the connection (a new one is made through the tracker)', async () => {
    await make();
    connector.renew('s');
    vi.advanceTimersByTime(4_999);
    expect(peers[0]!.destroyed).toBe(false);
    vi.advanceTimersByTime(1);
    expect(peers[0]!.destroyed).toBe(true);
    expect(calls).toEqual(['add a']);
  });

  it('attack: stale, unasked, malformed and flooded notes open no channel', async () => {
    await make();
    const a = peers[0]!;
    for (const junk of [
      encodeRenew({ kind: 'renew', id: 1000 }), // the channel in use
      encodeRenew({ kind: 'renewed', id: 1001 }), // never asked for
      '{"type":"chunks-renew","v":1,"id":65535}',
      '{"type":"chunks-renew","v":1,"id":1001.5}',
      '{"type":"chunks-renew","v":2,"id":1001}',
      `{"type":"chunks-renew","v":1,"id":1001,"pad":"${'x'.repeat(200)}"}`,
    ])
      a.emit('data', junk);
    expect(a.channelIds).toEqual([1000]);
    expect(calls).toEqual([]);
    // A flood of growing ids: one channel per 250 ms at most.
    for (let i = 1; i <= 100; i++) a.emit('data', encodeRenew({ kind: 'renew', id: 1000 + i }));
    expect(a.channelIds).toEqual([1000, 1001]);
    expect(a.destroyed).toBe(false);
  });

  it('a note from a connection that has not proved it holds the link is not a renewal', async () => {
    await make();
    const b = peers[1]!;
    b.emit('connect'); // authenticating: its data is the peer-auth exchange's
    b.emit('data', encodeRenew({ kind: 'renew', id: 1001 }));
    expect(b.channelIds).toEqual([1000]);
    expect(calls).toEqual([]);
  });

  it('relay mode makes the connections again instead, and drops a neighbor that asks for a channel', async () => {
    await make({ canTransferChannels: false });
    connector.renew('s');
    expect(tracker.left).toEqual(['s']);
    expect(peers[0]!.destroyed).toBe(true);
    expect(tracker.announced.filter((s) => s === 's')).toHaveLength(2);
    tracker.offerPeers('s', [A]);
    const again = peers.at(-1)!;
    await connectAndProve(again);
    await until(() => connector.links('s').connected === 1);
    again.emit('data', encodeRenew({ kind: 'renew', id: 1001 }));
    expect(again.destroyed).toBe(true);
  });
});
