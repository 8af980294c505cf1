/**
 * "renamed" notes between neighbors: believed only when the tracker vouches for the new id (the
 * same nonce relayed by the tracker with its own `from`), once per connection, with bounded state.
 * simple-peer is replaced by a stub (Node has no RTCPeerConnection); the connector's own logic runs.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { encodeRename, renameVouch } from './rename-message';

const peers: FakePeer[] = [];
class FakePeer {
  destroyed = false;
  readonly sent: unknown[] = [];
  private readonly handlers = new Map<string, Array<(...a: unknown[]) => void>>();
  readonly _pc = { createDataChannel: () => ({}) };
  constructor(readonly opts: { initiator: boolean }) {
    peers.push(this);
  }
  on(event: string, fn: (...a: unknown[]) => void): void {
    this.handlers.set(event, [...(this.handlers.get(event) ?? []), fn]);
  }
  emit(event: string, ...args: unknown[]): void {
    for (const fn of this.handlers.get(event) ?? []) fn(...args);
  }
  removeAllListeners(): void {
    this.handlers.clear();
  }
  signals: unknown[] = [];
  signal(payload: unknown): void {
    this.signals.push(payload);
  }
  send(data: unknown): void {
    this.sent.push(data);
  }
  destroy(): void {
    this.destroyed = true;
  }
}
vi.mock('./simple-peer', () => ({ SimplePeer: FakePeer }));

const { SwarmConnector } = await import('./swarm-connector');
type Connector = InstanceType<typeof SwarmConnector>;

const NONCE = (i: number) => i.toString(16).padStart(32, '0');
/** A tracker-shaped peer id (16 characters) for a readable name. */
const id = (name: string) =>
  name
    .replace(/[^A-Za-z0-9_-]/g, '_')
    .padEnd(16, '_')
    .slice(0, 16);

function fakeTracker() {
  const peerLists: Array<(swarm: string, peers: string[]) => void> = [];
  const signals: Array<(swarm: string, from: string, payload: unknown) => void> = [];
  return {
    peerId: id('me'),
    sentSignals: [] as Array<{ swarm: string; to: string; payload: unknown }>,
    announce() {},
    leave() {},
    signal(swarm: string, to: string, payload: unknown) {
      this.sentSignals.push({ swarm, to, payload });
    },
    onPeers: (l: (swarm: string, peers: string[]) => void) => (peerLists.push(l), () => undefined),
    onSignal: (l: (swarm: string, from: string, payload: unknown) => void) => (signals.push(l), () => undefined),
    onPeerGone: () => () => undefined,
    offerPeers: (swarm: string, list: string[]) => peerLists.forEach((l) => l(swarm, list)),
    /** A signal as the tracker relays it: `from` is the sender's real id. */
    relay: (swarm: string, from: string, payload: unknown) => signals.forEach((l) => l(swarm, from, payload)),
  };
}

describe('SwarmConnector: renamed notes', () => {
  let tracker: ReturnType<typeof fakeTracker>;
  let connector: Connector;
  const peerFor = (id: string) => peers[order.indexOf(id)]!;
  let order: string[];

  beforeEach(() => {
    vi.useFakeTimers();
    peers.length = 0;
    tracker = fakeTracker();
    connector = new SwarmConnector({
      tracker,
      iceServers: [],
      maxNeighbors: 12,
      sink: {
        canTransferChannels: true,
        addChannel() {},
        addRelay() {},
        relayData() {},
        relayWritten() {},
        relayClosed() {},
      },
    });
    connector.join('s');
    // A connected neighbor id('mallory') and a call to the sharer still being made.
    order = [id('mallory'), id('sharer')];
    tracker.offerPeers('s', order);
    peerFor(id('mallory')).emit('connect');
  });
  afterEach(() => {
    connector.close();
    vi.useRealTimers();
  });

  it("a neighbor claiming the sharer's id neither drops the call to the sharer nor gets the sharer refused", () => {
    peerFor(id('mallory')).emit('data', encodeRename(id('sharer'), NONCE(1)));
    // Mallory can vouch only under its own id: the tracker sets `from`.
    tracker.relay('s', id('mallory'), renameVouch(NONCE(1)));
    expect(peerFor(id('sharer')).destroyed).toBe(false);
    // The sharer's answer still reaches its connection.
    tracker.relay('s', id('sharer'), { type: 'answer', sdp: id('x') });
    expect(peerFor(id('sharer')).signals).toEqual([{ type: 'answer', sdp: id('x') }]);
    // And after that call ends, the sharer is called again, not taken for Mallory.
    peerFor(id('sharer')).emit('close');
    tracker.offerPeers('s', [id('sharer')]);
    expect(peers).toHaveLength(3);
  });

  it('a rename vouched for by the tracker is believed: no second connection to the same tab (either order)', () => {
    peerFor(id('mallory')).emit('data', encodeRename(id('mallory-2'), NONCE(2)));
    tracker.relay('s', id('mallory-2'), renameVouch(NONCE(2)));
    tracker.offerPeers('s', [id('mallory-2')]);
    expect(peers).toHaveLength(2);

    // The tracker's half first, then the note.
    tracker.offerPeers('s', [id('b')]);
    peers[2]!.emit('connect');
    tracker.relay('s', id('b-2'), renameVouch(NONCE(3)));
    peers[2]!.emit('data', encodeRename(id('b-2'), NONCE(3)));
    tracker.offerPeers('s', [id('b-2')]);
    expect(peers).toHaveLength(3);
  });

  it('a vouch with another nonce, or a second rename of the same connection, is not believed', () => {
    peerFor(id('mallory')).emit('data', encodeRename(id('x'), NONCE(4)));
    tracker.relay('s', id('x'), renameVouch(NONCE(5)));
    tracker.offerPeers('s', [id('x')]);
    expect(peers).toHaveLength(3); // id('x') is called: not taken for Mallory

    peerFor(id('mallory')).emit('data', encodeRename(id('m2'), NONCE(6)));
    tracker.relay('s', id('m2'), renameVouch(NONCE(6)));
    peerFor(id('mallory')).emit('data', encodeRename(id('m3'), NONCE(7)));
    tracker.relay('s', id('m3'), renameVouch(NONCE(7)));
    tracker.offerPeers('s', [id('m2'), id('m3')]);
    expect(peers).toHaveLength(4); // m2 believed, m3 (a second rename) called as a new peer
  });

  it('a flood of notes and tracker halves keeps the rename state bounded', () => {
    for (let i = 0; i < 10_000; i++) {
      peerFor(id('mallory')).emit('data', encodeRename(id(`fake-${i}`), NONCE(i)));
      tracker.relay('s', id(`other-${i}`), renameVouch(NONCE(i)));
    }
    const inner = connector as unknown as { aliases: Map<string, string>; vouches: Map<string, string> };
    expect(inner.aliases.size).toBe(0);
    expect(inner.vouches.size).toBeLessThanOrEqual(64);
  });

  it('announcing our own new id sends the note on the data channel and the nonce through the tracker', async () => {
    connector.announceRename(id('me-2'));
    const note = JSON.parse(String(peerFor(id('mallory')).sent[0]));
    expect(note).toMatchObject({ type: 'renamed', peerId: id('me-2') });
    expect(tracker.sentSignals.filter((s) => (s.payload as { type?: string }).type === 'renamed')).toEqual([]);
    await Promise.resolve(); // after the tracker client's re-announce
    expect(tracker.sentSignals).toContainEqual({ swarm: 's', to: id('mallory'), payload: renameVouch(note.nonce) });
    expect(peerFor(id('sharer')).sent).toEqual([]); // not connected yet
  });
});
