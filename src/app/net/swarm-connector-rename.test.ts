/**
 * "renamed" notes between neighbors: believed only when the tracker vouches for the new id (the
 * claimed id answers the note's nonce through the tracker, which sets `from`), once per
 * connection, with bounded state.
 * simple-peer is replaced by a stub (Node has no RTCPeerConnection); the connector's own logic runs.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakePeers as peers, stubConnectorOptions } from '../testing/fake-peer';
import { FakeTracker } from '../testing/fake-tracker';
import { encodeRename, renameCheck, renameVouch } from './rename-message';
import { connectAndProve, until } from '../testing/fake-peer-auth';

vi.mock('./simple-peer', async () => ({ SimplePeer: (await import('../testing/fake-peer')).FakePeer }));

const { SwarmConnector } = await import('./swarm-connector');
type Connector = InstanceType<typeof SwarmConnector>;

const NONCE = (i: number) => i.toString(16).padStart(32, '0');
/** A tracker-shaped peer id (16 characters) for a readable name. */
const id = (name: string) =>
  name
    .replace(/[^A-Za-z0-9_-]/g, '_')
    .padEnd(16, '_')
    .slice(0, 16);

describe('SwarmConnector: renamed notes', () => {
  let tracker: FakeTracker;
  let connector: Connector;
  const peerFor = (id: string) => peers[order.indexOf(id)]!;
  let order: string[];

  beforeEach(async () => {
    vi.useFakeTimers();
    peers.length = 0;
    tracker = new FakeTracker(id('me'));
    connector = new SwarmConnector(
      stubConnectorOptions(tracker, {
        maxNeighbors: 12,
      }),
    );
    connector.join('s');
    // A connected neighbor id('mallory') and a call to the sharer still being made.
    order = [id('mallory'), id('sharer')];
    tracker.offerPeers('s', order);
    await connectAndProve(peerFor(id('mallory')));
    await until(() => connector.links('s').connected === 1);
  });
  afterEach(() => {
    connector.close();
    vi.useRealTimers();
  });

  const checksSent = () => tracker.sentSignals.filter((x) => (x.payload as { type?: string }).type === 'rename-check');

  it("a neighbor claiming the sharer's id neither drops the call to the sharer nor gets the sharer refused", () => {
    peerFor(id('mallory')).emit('data', encodeRename(id('sharer'), NONCE(1)));
    // The question goes to the real sharer, who never made that nonce and does not answer.
    expect(checksSent()).toEqual([{ swarm: 's', to: id('sharer'), payload: renameCheck(NONCE(1)) }]);
    // Mallory can answer only under its own id: the tracker sets `from`.
    tracker.relay('s', id('mallory'), renameVouch(NONCE(1)));
    expect(peerFor(id('sharer')).destroyed).toBe(false);
    // The sharer's answer still reaches its connection.
    tracker.relay('s', id('sharer'), { type: 'answer', sdp: 'x' });
    expect(peerFor(id('sharer')).signals).toEqual([{ type: 'answer', sdp: 'x' }]);
    // And after that call ends, the sharer is called again, not taken for Mallory.
    peerFor(id('sharer')).emit('close');
    tracker.offerPeers('s', [id('sharer')]);
    expect(peers).toHaveLength(3);
  });

  it('a rename the claimed id vouches for is believed: no second connection to the same tab', () => {
    peerFor(id('mallory')).emit('data', encodeRename(id('mallory-2'), NONCE(2)));
    expect(checksSent().at(-1)).toEqual({ swarm: 's', to: id('mallory-2'), payload: renameCheck(NONCE(2)) });
    tracker.relay('s', id('mallory-2'), renameVouch(NONCE(2)));
    tracker.offerPeers('s', [id('mallory-2')]);
    expect(peers).toHaveLength(2);
  });

  it('an unanswered question is asked again a few times (it may reach the tracker before the renamed tab does)', () => {
    peerFor(id('mallory')).emit('data', encodeRename(id('mallory-2'), NONCE(3)));
    vi.advanceTimersByTime(60_000);
    expect(checksSent()).toHaveLength(4);
  });

  it('a vouch with another nonce or without a claim, or a second rename of the same connection, is not believed', async () => {
    tracker.relay('s', id('x'), renameVouch(NONCE(4))); // nobody claimed 'x'
    peerFor(id('mallory')).emit('data', encodeRename(id('y'), NONCE(5)));
    tracker.relay('s', id('y'), renameVouch(NONCE(6)));
    tracker.offerPeers('s', [id('x'), id('y')]);
    expect(peers).toHaveLength(4); // both called: neither taken for Mallory

    tracker.offerPeers('s', [id('b')]);
    await connectAndProve(peers[4]!);
    await until(() => connector.links('s').connected === 2);
    peers[4]!.emit('data', encodeRename(id('b2'), NONCE(7)));
    tracker.relay('s', id('b2'), renameVouch(NONCE(7)));
    peers[4]!.emit('data', encodeRename(id('b3'), NONCE(8)));
    tracker.relay('s', id('b3'), renameVouch(NONCE(8)));
    tracker.offerPeers('s', [id('b2'), id('b3')]);
    expect(peers).toHaveLength(6); // b2 believed; b3 (a second rename) called as a new peer
  });

  it('a flood of notes and tracker answers keeps the rename state bounded and asks once', () => {
    for (let i = 0; i < 10_000; i++) {
      peerFor(id('mallory')).emit('data', encodeRename(id(`fake-${i}`), NONCE(i)));
      tracker.relay('s', id(`other-${i}`), renameVouch(NONCE(i)));
      tracker.relay('s', id(`other-${i}`), renameCheck(NONCE(i)));
    }
    const inner = connector as unknown as { aliases: Map<string, string> };
    expect(inner.aliases.size).toBe(0);
    expect(checksSent()).toHaveLength(1); // one claim per connection is checked
    expect(tracker.sentSignals.filter((x) => (x.payload as { type?: string }).type === 'renamed')).toEqual([]);
  });

  it('our own new id: the note goes on the data channel, and only a question with its nonce is answered', async () => {
    connector.announceRename(id('me-2'));
    await Promise.resolve(); // after the tracker client's re-announce
    // After the peer-auth hello and proof (binary), the one text message.
    const note = JSON.parse(String(peerFor(id('mallory')).sent.find((m) => typeof m === 'string')));
    expect(note).toMatchObject({ type: 'renamed', peerId: id('me-2') });
    expect(peerFor(id('sharer')).sent).toEqual([]); // not connected yet
    tracker.relay('s', id('someone'), renameCheck(NONCE(9)));
    expect(tracker.sentSignals).toEqual([]);
    tracker.relay('s', id('mallory-new'), renameCheck(note.nonce));
    expect(tracker.sentSignals).toEqual([{ swarm: 's', to: id('mallory-new'), payload: renameVouch(note.nonce) }]);
  });
});
