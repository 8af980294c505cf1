/**
 * Turns tracker peer lists into WebRTC neighbors, on the main thread (RTCPeerConnection does not
 * exist in workers). simple-peer does signaling, ICE and the connection lifecycle; in the same task
 * as `new SimplePeer` a pre-negotiated channel 'chunks' (id 1000) is created on its connection and
 * transferred to the worker, which then sends and receives the chunk bytes itself. Where a channel
 * can't be transferred, simple-peer's own data is relayed to the worker as transferable buffers.
 */
import { SimplePeer, type SignalData, type SimplePeerInstance } from './simple-peer';

/** The tracker client as this module uses it (src/app/tracker-client.ts implements it). */
export interface TrackerLike {
  readonly peerId: string | undefined | null;
  announce(swarm: string, want?: number): void;
  leave(swarm: string): void;
  signal(swarm: string, to: string, payload: unknown): void;
  onPeers(listener: (swarm: string, peers: string[]) => void): () => void;
  onSignal(listener: (swarm: string, from: string, payload: unknown) => void): () => void;
  onPeerGone(listener: (swarm: string, peerId: string) => void): () => void;
}

/** How the connector hands a new neighbor's bytes to the worker. */
export interface NeighborSink {
  readonly canTransferChannels: boolean;
  /** Transfers `channel` to the worker (must happen in the task that created it). */
  addChannel(swarmId: string, peerId: string, channel: RTCDataChannel): void;
  /** Relay mode: the worker will post outgoing bytes with this link key. */
  addRelay(swarmId: string, link: string, peerId: string): void;
  relayData(link: string, data: ArrayBuffer): void;
  relayClosed(link: string): void;
}

/** Per swarm: neighbors being connected, connected, and connections that failed (for the TURN hint). */
export interface SwarmLinks {
  connecting: number;
  connected: number;
  failed: number;
}

export interface SwarmConnectorOptions {
  tracker: TrackerLike;
  sink: NeighborSink;
  iceServers: RTCIceServer[];
  /** Most neighbors per swarm (peer wire connections are costly in a browser). */
  maxNeighbors?: number;
  /** A connection not up after this long counts as failed. */
  connectTimeoutMs?: number;
  onLinks?(swarmId: string, links: SwarmLinks): void;
}

interface Neighbor {
  swarmId: string;
  peerId: string;
  peer: SimplePeerInstance;
  initiator: boolean;
  connected: boolean;
  timer: ReturnType<typeof setTimeout>;
}

/** A link key: one connection per (swarm, remote peer). */
export const linkKey = (swarmId: string, peerId: string): string => `${swarmId}/${peerId}`;

export class SwarmConnector {
  private readonly neighbors = new Map<string, Neighbor>();
  private readonly swarms = new Map<string, { failed: number }>();
  private readonly unsubscribe: Array<() => void>;
  private readonly maxNeighbors: number;
  private readonly connectTimeoutMs: number;

  constructor(private readonly opts: SwarmConnectorOptions) {
    this.maxNeighbors = opts.maxNeighbors ?? 12;
    this.connectTimeoutMs = opts.connectTimeoutMs ?? 20_000;
    const t = opts.tracker;
    this.unsubscribe = [
      t.onPeers((swarm, peers) => this.onPeers(swarm, peers)),
      t.onSignal((swarm, from, payload) => this.onSignal(swarm, from, payload)),
      t.onPeerGone((swarm, peerId) => this.drop(linkKey(swarm, peerId))),
    ];
  }

  join(swarmId: string): void {
    if (!this.swarms.has(swarmId)) this.swarms.set(swarmId, { failed: 0 });
    this.opts.tracker.announce(swarmId);
    this.report(swarmId);
  }

  leave(swarmId: string): void {
    this.swarms.delete(swarmId);
    this.opts.tracker.leave(swarmId);
    for (const [key, n] of this.neighbors) if (n.swarmId === swarmId) this.drop(key);
  }

  /** Asks the tracker for more peers when this swarm has room for more neighbors. */
  refill(swarmId: string): void {
    if (this.swarms.has(swarmId) && this.count(swarmId) < this.maxNeighbors) this.opts.tracker.announce(swarmId);
  }

  links(swarmId: string): SwarmLinks {
    let connecting = 0;
    let connected = 0;
    for (const n of this.neighbors.values()) {
      if (n.swarmId !== swarmId) continue;
      if (n.connected) connected++;
      else connecting++;
    }
    return { connecting, connected, failed: this.swarms.get(swarmId)?.failed ?? 0 };
  }

  close(): void {
    for (const u of this.unsubscribe) u();
    for (const key of [...this.neighbors.keys()]) this.drop(key);
    this.swarms.clear();
  }

  private count(swarmId: string): number {
    let n = 0;
    for (const x of this.neighbors.values()) if (x.swarmId === swarmId) n++;
    return n;
  }

  private onPeers(swarmId: string, peers: string[]): void {
    if (!this.swarms.has(swarmId)) return;
    for (const peerId of peers) {
      if (this.count(swarmId) >= this.maxNeighbors) break;
      if (peerId === this.opts.tracker.peerId || this.neighbors.has(linkKey(swarmId, peerId))) continue;
      this.open(swarmId, peerId, true);
    }
  }

  private onSignal(swarmId: string, from: string, payload: unknown): void {
    if (!this.swarms.has(swarmId) || !payload || typeof payload !== 'object') return;
    const key = linkKey(swarmId, from);
    let n = this.neighbors.get(key);
    const isOffer = (payload as { type?: unknown }).type === 'offer';
    if (n && isOffer && n.initiator && !n.connected) {
      // Both sides called each other: the side with the smaller id keeps its offer.
      if ((this.opts.tracker.peerId ?? '') < from) return;
      this.drop(key, false);
      n = undefined;
    }
    if (!n) {
      if (!isOffer || this.count(swarmId) >= this.maxNeighbors) return;
      n = this.open(swarmId, from, false);
    }
    try {
      n.peer.signal(payload as SignalData);
    } catch {
      this.drop(key); // a malformed handshake from that peer
    }
  }

  private open(swarmId: string, peerId: string, initiator: boolean): Neighbor {
    const key = linkKey(swarmId, peerId);
    const sink = this.opts.sink;
    const peer = new SimplePeer({ initiator, trickle: true, config: { iceServers: this.opts.iceServers } });
    // Same task as `new SimplePeer`, before anything is sent: see FACTS.md.
    if (sink.canTransferChannels) {
      const channel = peer._pc.createDataChannel('chunks', { negotiated: true, id: 1000 });
      sink.addChannel(swarmId, peerId, channel);
    } else {
      sink.addRelay(swarmId, key, peerId);
      peer.on('data', (data: Uint8Array) => {
        const copy = data.slice().buffer as ArrayBuffer;
        sink.relayData(key, copy);
      });
    }
    const n: Neighbor = {
      swarmId,
      peerId,
      peer,
      initiator,
      connected: false,
      timer: setTimeout(() => this.fail(key), this.connectTimeoutMs),
    };
    this.neighbors.set(key, n);
    peer.on('signal', (data: SignalData) => this.opts.tracker.signal(swarmId, peerId, data));
    peer.on('connect', () => {
      clearTimeout(n.timer);
      n.connected = true;
      this.report(swarmId);
    });
    peer.on('close', () => this.drop(key));
    peer.on('error', () => (n.connected ? this.drop(key) : this.fail(key)));
    this.report(swarmId);
    return n;
  }

  /** Writes relayed bytes from the worker to that neighbor's simple-peer channel. */
  relaySend(link: string, data: ArrayBuffer): void {
    const n = this.neighbors.get(link);
    if (n?.connected) n.peer.send(new Uint8Array(data));
  }

  private fail(key: string): void {
    const n = this.neighbors.get(key);
    if (!n) return;
    const s = this.swarms.get(n.swarmId);
    if (s && !n.connected) s.failed++;
    this.drop(key);
  }

  private drop(key: string, refill = true): void {
    const n = this.neighbors.get(key);
    if (!n) return;
    this.neighbors.delete(key);
    clearTimeout(n.timer);
    n.peer.removeAllListeners();
    n.peer.on('error', () => undefined);
    n.peer.destroy();
    if (!this.opts.sink.canTransferChannels) this.opts.sink.relayClosed(key);
    this.report(n.swarmId);
    if (refill) setTimeout(() => this.refill(n.swarmId), 2_000);
  }

  private report(swarmId: string): void {
    this.opts.onLinks?.(swarmId, this.links(swarmId));
  }
}
