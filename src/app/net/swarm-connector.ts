/**
 * Turns tracker peer lists into WebRTC neighbors, on the main thread (RTCPeerConnection does not
 * exist in workers). simple-peer does signaling, ICE and the connection lifecycle; in the same task
 * as `new SimplePeer` a pre-negotiated channel 'chunks' (id 1000) is created on its connection and
 * transferred to the worker, which then sends and receives the chunk bytes itself. Where a channel
 * can't be transferred, simple-peer's own data is relayed to the worker as transferable buffers.
 * Before any of that is used, both sides prove on simple-peer's channel that they hold the link
 * (peer-auth.ts); only then is the neighbor admitted to the worker, so a peer that fails gets no
 * byte of the swarm.
 */
import { perfMark } from '../perf-mark';
import {
  decodeRename,
  decodeRenameSignal,
  encodeRename,
  newRenameNonce,
  renameCheck,
  renameVouch,
} from './rename-message';
import {
  CandidateNotes,
  failureFromCandidates,
  routeFromStats,
  worstFailure,
  type ConnectFailure,
  type RouteInfo,
} from './ice-path';
import { SimplePeer, type SignalData, type SimplePeerInstance } from './simple-peer';
import { PeerAuthError, authenticatePeer, sdpFingerprint } from './peer-auth';
import { PeerAuthChannel } from './peer-auth-channel';
import { FIRST_CHUNKS_ID, MAX_CHUNKS_ID, decodeRenew, encodeRenew, type RenewNote } from './renew-message';

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
  /** Transfers `channel` to the worker (must happen in the task that created it); held there until admitted. */
  addChannel(swarmId: string, peerId: string, channel: RTCDataChannel): void;
  /** The neighbor of a transferred channel proved it holds the link: the worker's engine may use the channel. */
  admitChannel(swarmId: string, peerId: string): void;
  /** Relay mode, once the neighbor proved it holds the link: the worker will post outgoing bytes with this link key. */
  addRelay(swarmId: string, link: string, peerId: string): void;
  relayData(link: string, data: ArrayBuffer): void;
  /** Relay mode: `bytes` the worker posted were written to the peer's channel. */
  relayWritten(link: string, bytes: number): void;
  relayClosed(link: string): void;
}

/** Per swarm: neighbors being connected, connected, and connections that failed (for the TURN hint). */
export interface SwarmLinks {
  connecting: number;
  connected: number;
  failed: number;
  /** Distinct peers whose connection failed and who have not connected since ("N people are trying to reach you"). */
  failedPeers: number;
  /** The most actionable reason among those failures (ice-path.ts). */
  failure?: ConnectFailure;
  /** Connections closed because the peer could not prove it holds the link (peer-auth.ts). */
  notHolders: number;
}

export interface SwarmConnectorOptions {
  tracker: TrackerLike;
  sink: NeighborSink;
  /** May still be loading: the swarm is announced meanwhile; peer lists and offers wait for it. */
  iceServers: RTCIceServer[] | Promise<RTCIceServer[]>;
  /**
   * Most neighbors per swarm this side calls (peer wire connections are costly in a browser);
   * offers are answered up to a third more (see `maxAnswered`).
   */
  maxNeighbors?: number;
  /** A connection not up after this long counts as failed. */
  connectTimeoutMs?: number;
  onLinks?(swarmId: string, links: SwarmLinks): void;
  /** How a neighbor's bytes flow (read from the selected candidate pair); undefined when it is gone. */
  onRoute?(swarmId: string, peerId: string, route: RouteInfo | undefined): void;
  /** Relay only (`iceTransportPolicy: 'relay'`) for new connections: peers never learn this browser's IP address. */
  relayOnly?: () => boolean;
  /** The swarm's 32-byte peer-auth key (from the link's secret; the connector never derives it). */
  authKeyFor(swarmId: string): Uint8Array | Promise<Uint8Array>;
  /** A connection whose peer has not proved it holds the link after this long is closed. */
  authTimeoutMs?: number;
}

interface SwarmFailures {
  failed: number;
  /** Peers whose connection failed, until they connect. */
  failedPeers: Set<string>;
  failure: ConnectFailure | undefined;
  notHolders: number;
}

interface Neighbor {
  swarmId: string;
  peerId: string;
  peer: SimplePeerInstance;
  initiator: boolean;
  /** Up and authenticated: the neighbor was admitted to the worker. */
  connected: boolean;
  /** simple-peer's channel as the peer-auth exchange uses it, until the neighbor is admitted. */
  auth: PeerAuthChannel;
  /** Relay mode: chunk-channel bytes that came before the neighbor was admitted, and their size. */
  early: ArrayBuffer[];
  earlyBytes: number;
  /** Candidates gathered here and received from the peer (why it failed, if it does; the route). */
  local: CandidateNotes;
  remote: CandidateNotes;
  /**
   * The peer sent a signal on this connection. A call never answered is a full or departed peer,
   * not a network that failed: it is not counted as a failure (nor as someone trying to reach us).
   */
  heard: boolean;
  timer: ReturnType<typeof setTimeout>;
  /** Relay mode: bytes from the worker waiting for room in simple-peer's channel. */
  relayQueue: ArrayBuffer[];
  /** Relay mode: the 'chunks' channel, kept on this thread. */
  channel: RTCDataChannel | undefined;
  /** The rename this neighbor claimed on its data channel, until the claimed id vouches for it. */
  renameClaim: { peerId: string; nonce: string } | undefined;
  /** A rename was believed for this connection: no further one is. */
  renamed: boolean;
  /** The nonce of our own latest rename note to this neighbor (we answer checks for it). */
  issuedNonce: string | undefined;
  /** Negotiated stream id of the newest 'chunks' channel on this connection (renew-message.ts). */
  chunksId: number;
  /** Our fresh 'chunks' channel, held in the worker until the neighbor has opened its end. */
  renewing: { id: number; timer: ReturnType<typeof setTimeout> } | undefined;
  /** When the neighbor's last `renew` was taken (one per RENEW_MIN_INTERVAL_MS). */
  renewedAt: number;
}

/** Relay mode: write to simple-peer's channel only while its queue is below this (it closes past 16 MiB). */
const RELAY_HIGH_WATER = 4 * 1024 * 1024;
/** Relay mode: most chunk-channel bytes held before admission (as MAX_HELD_BYTES in the worker). */
const MAX_EARLY_BYTES = 1 << 20;

/** A rename claim is asked about again this many times, this far apart, until answered. */
const RENAME_CHECK_RETRIES = 3;
const RENAME_CHECK_RETRY_MS = 2_000;

/** A fresh chunk channel the neighbor has not answered for this long: the connection is dropped and made again. */
const RENEW_TIMEOUT_MS = 5_000;
/**
 * A neighbor's `renew` notes are taken at most this often (a round starts over at most twice a
 * second, docs/CLASSROOM.md); more are ignored, and an honest sender then makes a new connection.
 */
const RENEW_MIN_INTERVAL_MS = 250;

/** A link key: one connection per (swarm, remote peer). */
export const linkKey = (swarmId: string, peerId: string): string => `${swarmId}/${peerId}`;

export class SwarmConnector {
  private readonly neighbors = new Map<string, Neighbor>();
  /**
   * Link keys under a neighbor's newer tracker id -> the key its connection was made under. A
   * connection outlives a tracker reconnect; its neighbor tells us its new id (rename-message.ts).
   * At most one per connection (entries go with it), so no bigger than the neighbor map.
   */
  private readonly aliases = new Map<string, string>();
  private readonly swarms = new Map<string, SwarmFailures>();
  /** Link keys of peers the worker banned: never connected to again (the engine would refuse them). */
  private readonly refused = new Set<string>();
  private readonly unsubscribe: Array<() => void>;
  private readonly maxNeighbors: number;
  /**
   * Offers are answered up to here, past `maxNeighbors`: without this headroom the first
   * maxNeighbors + 1 peers of a swarm fill each other's slots and everyone who comes after them is
   * shut out (a class joining one after another). Still a hard cap against a flood of offers.
   */
  private readonly maxAnswered: number;
  private readonly connectTimeoutMs: number;
  private iceServers: RTCIceServer[] = [];
  /** Tracker messages that came before the ICE servers were known: handled in order once they are. */
  private waiting: Array<() => void> | undefined;

  constructor(private readonly opts: SwarmConnectorOptions) {
    this.maxNeighbors = opts.maxNeighbors ?? 12;
    this.maxAnswered = this.maxNeighbors + Math.ceil(this.maxNeighbors / 3);
    this.connectTimeoutMs = opts.connectTimeoutMs ?? 20_000;
    const t = opts.tracker;
    this.unsubscribe = [
      t.onPeers((swarm, peers) => this.afterIce(() => this.onPeers(swarm, peers))),
      t.onSignal((swarm, from, payload) => this.afterIce(() => this.onSignal(swarm, from, payload))),
      t.onPeerGone((swarm, peerId) =>
        this.afterIce(() => {
          // Someone who left is no longer "trying to reach you".
          if (this.swarms.get(swarm)?.failedPeers.delete(peerId)) this.report(swarm);
          this.onPeerGone(linkKey(swarm, peerId));
        }),
      ),
    ];
    if (Array.isArray(opts.iceServers)) {
      this.iceServers = opts.iceServers;
    } else {
      this.waiting = [];
      void opts.iceServers
        .then(
          (servers) => (this.iceServers = servers),
          () => undefined,
        ) // none: host candidates still work on a LAN
        .then(() => {
          const waiting = this.waiting ?? [];
          this.waiting = undefined;
          for (const handle of waiting) handle();
        });
    }
  }

  private afterIce(handle: () => void): void {
    if (this.waiting) this.waiting.push(handle);
    else handle();
  }

  /** Announces the swarm once; joining again changes nothing (refill asks for more peers). */
  join(swarmId: string): void {
    if (this.swarms.has(swarmId)) return;
    this.swarms.set(swarmId, { failed: 0, failedPeers: new Set(), failure: undefined, notHolders: 0 });
    perfMark('announce');
    this.opts.tracker.announce(swarmId);
    this.report(swarmId);
  }

  /**
   * The worker started this swarm's download over with a new engine (a classroom round): each
   * connection that is up gets a fresh 'chunks' channel for it (renew-message.ts); one still being
   * made hands its channel to the new engine anyway. In relay mode the connections are made again.
   */
  renew(swarmId: string): void {
    if (!this.opts.sink.canTransferChannels) {
      this.leave(swarmId);
      this.join(swarmId);
      return;
    }
    for (const [key, n] of this.neighbors) if (n.swarmId === swarmId && n.connected) this.renewChannel(key, n);
  }

  private renewChannel(key: string, n: Neighbor): void {
    const id = n.chunksId + 1;
    const channel = id <= MAX_CHUNKS_ID ? this.createChunks(n, id) : undefined;
    if (!channel) return this.drop(key);
    n.chunksId = id;
    if (n.renewing) clearTimeout(n.renewing.timer);
    n.renewing = { id, timer: setTimeout(() => this.drop(key), RENEW_TIMEOUT_MS) };
    this.opts.sink.addChannel(n.swarmId, n.peerId, channel); // same task as creating it (FACTS.md)
    this.sendNote(key, n, { kind: 'renew', id });
  }

  private createChunks(n: Neighbor, id: number): RTCDataChannel | undefined {
    try {
      return n.peer._pc.createDataChannel('chunks', { negotiated: true, id });
    } catch {
      return undefined; // the connection is closing, or the id is taken
    }
  }

  private sendNote(key: string, n: Neighbor, note: RenewNote): void {
    try {
      n.peer.send(encodeRenew(note));
    } catch {
      this.drop(key); // the connection is closing
    }
  }

  /** A neighbor's renew note (it is admitted: it proved it holds the link). */
  private onRenewNote(key: string, n: Neighbor, note: RenewNote): void {
    const sink = this.opts.sink;
    if (n.renewing?.id === note.id) {
      // Its answer, or it started over at the same moment with the same id: one channel, both ends open.
      clearTimeout(n.renewing.timer);
      n.renewing = undefined;
      sink.admitChannel(n.swarmId, n.peerId);
      if (note.kind === 'renew') this.sendNote(key, n, { kind: 'renewed', id: note.id });
      return;
    }
    if (note.kind !== 'renew' || note.id <= n.chunksId) return; // stale, or not asked for
    if (!sink.canTransferChannels) return this.drop(key); // relay mode: a new connection instead
    const now = performance.now();
    if (now - n.renewedAt < RENEW_MIN_INTERVAL_MS) return;
    const channel = this.createChunks(n, note.id);
    if (!channel) return this.drop(key);
    n.renewedAt = now;
    n.chunksId = note.id;
    if (n.renewing) clearTimeout(n.renewing.timer); // ours had a lower id: the worker drops its end for this one
    n.renewing = undefined;
    sink.addChannel(n.swarmId, n.peerId, channel);
    sink.admitChannel(n.swarmId, n.peerId);
    this.sendNote(key, n, { kind: 'renewed', id: note.id });
  }

  leave(swarmId: string): void {
    this.swarms.delete(swarmId);
    for (const key of this.refused) if (key.startsWith(`${swarmId}/`)) this.refused.delete(key);
    this.opts.tracker.leave(swarmId);
    for (const [key, n] of this.neighbors) if (n.swarmId === swarmId) this.drop(key);
  }

  /**
   * The worker dropped this neighbor (ban, protocol error, idle timeout, ...): close its WebRTC
   * connection so its slot is free for a replacement. The worker names it by the id the connection
   * was made under, i.e. its link key.
   */
  closePeer(swarmId: string, peerId: string): void {
    this.drop(linkKey(swarmId, peerId));
  }

  /** The worker banned this peer: no new connection to or from it in this swarm. */
  refuse(swarmId: string, peerId: string): void {
    this.refused.add(linkKey(swarmId, peerId));
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
    const s = this.swarms.get(swarmId);
    const links: SwarmLinks = {
      connecting,
      connected,
      failed: s?.failed ?? 0,
      failedPeers: s?.failedPeers.size ?? 0,
      notHolders: s?.notHolders ?? 0,
    };
    if (s?.failure) links.failure = s.failure;
    return links;
  }

  close(): void {
    for (const u of this.unsubscribe) u();
    for (const key of [...this.neighbors.keys()]) this.drop(key);
    this.swarms.clear();
  }

  /**
   * The tracker gave this page a new id: tell every connected neighbor, so that it recognises us
   * when the tracker lists us under the new id and keeps its connection instead of opening a second.
   */
  announceRename(peerId: string): void {
    // After the tracker client's re-announce of our swarms (same task): the neighbor's question
    // about our new id is relayed only once we are in the swarm again.
    queueMicrotask(() => {
      for (const n of this.neighbors.values()) {
        if (!n.connected) continue;
        const nonce = newRenameNonce();
        try {
          n.peer.send(encodeRename(peerId, nonce));
          n.issuedNonce = nonce;
        } catch {
          // the connection is closing; its close event drops it
        }
        // A claim that came while we had no tracker connection: ask now.
        if (n.renameClaim && !n.renamed) this.askClaimedId(n);
      }
    });
  }

  /** The key a connection to this (swarm, peer) was made under, following renames. */
  private resolve(key: string): string {
    return this.aliases.get(key) ?? key;
  }

  /**
   * A neighbor's data-channel note: it claims a new tracker id. One claim per connection is
   * checked (the first), by asking that id through the tracker; believed when it answers.
   */
  private onRenamed(key: string, data: unknown): void {
    const n = this.neighbors.get(key);
    const note = decodeRename(data);
    if (!n || !n.connected || n.renamed || n.renameClaim || note === undefined) return;
    n.renameClaim = note;
    this.askClaimedId(n);
  }

  /**
   * Asks the claimed id through the tracker; asked again a few times, since the question can reach
   * the tracker before the renamed tab's own re-announce does (the tracker then drops it).
   */
  private askClaimedId(n: Neighbor, attempt = 0): void {
    const claim = n.renameClaim;
    if (!claim || n.renamed || this.neighbors.get(linkKey(n.swarmId, n.peerId)) !== n) return;
    if (this.opts.tracker.peerId) this.opts.tracker.signal(n.swarmId, claim.peerId, renameCheck(claim.nonce));
    if (attempt < RENAME_CHECK_RETRIES) setTimeout(() => this.askClaimedId(n, attempt + 1), RENAME_CHECK_RETRY_MS);
  }

  /** A tracker-relayed rename question or answer from `from` (the tracker's own record of the sender). */
  private onRenameSignal(swarmId: string, from: string, signal: { kind: 'check' | 'vouch'; nonce: string }): void {
    for (const [key, n] of this.neighbors) {
      if (n.swarmId !== swarmId) continue;
      // Someone asks whether we made this nonce: answer only for one we sent.
      if (signal.kind === 'check' && n.issuedNonce === signal.nonce)
        return this.opts.tracker.signal(swarmId, from, renameVouch(signal.nonce));
      if (
        signal.kind === 'vouch' &&
        !n.renamed &&
        n.renameClaim?.peerId === from &&
        n.renameClaim.nonce === signal.nonce
      )
        return this.believeRename(key, n, linkKey(swarmId, from));
    }
  }

  /** The connection under `key` belongs to the tab the tracker now knows as `newKey`'s id. */
  private believeRename(key: string, n: Neighbor, newKey: string): void {
    n.renameClaim = undefined;
    n.renamed = true;
    if (newKey === key) return;
    const other = this.neighbors.get(newKey);
    if (other?.connected) return; // two working connections to one tab already: keep both
    if (other) this.drop(newKey, false); // a second connection being made to the same tab
    this.aliases.set(newKey, key);
  }

  /**
   * The tracker says a peer left. A connection still being negotiated can't finish without the
   * tracker; a working one does not need it (the peer may only have lost its tracker connection).
   */
  private onPeerGone(key: string): void {
    const n = this.neighbors.get(this.resolve(key));
    if (n && !n.connected) this.drop(this.resolve(key));
  }

  private count(swarmId: string): number {
    let n = 0;
    for (const x of this.neighbors.values()) if (x.swarmId === swarmId) n++;
    return n;
  }

  private onPeers(swarmId: string, peers: string[]): void {
    if (!this.swarms.has(swarmId)) return;
    perfMark('peer-list');
    for (const peerId of peers) {
      if (this.count(swarmId) >= this.maxNeighbors) break;
      const key = linkKey(swarmId, peerId);
      if (peerId === this.opts.tracker.peerId || this.refused.has(key) || this.neighbors.has(this.resolve(key)))
        continue;
      this.open(swarmId, peerId, true);
    }
  }

  private onSignal(swarmId: string, from: string, payload: unknown): void {
    if (!this.swarms.has(swarmId) || !payload || typeof payload !== 'object') return;
    const rename = decodeRenameSignal(payload);
    if (rename !== undefined) return this.onRenameSignal(swarmId, from, rename);
    const direct = linkKey(swarmId, from);
    if (this.refused.has(direct)) return;
    const key = this.resolve(direct);
    let n = this.neighbors.get(key);
    // From the newer id of a neighbor we are connected to: a second connection; it gets no answer.
    if (key !== direct && n?.connected) return;
    const isOffer = (payload as { type?: unknown }).type === 'offer';
    if (n && isOffer && n.initiator && !n.connected) {
      // Both sides called each other: the side with the smaller id keeps its offer.
      if ((this.opts.tracker.peerId ?? '') < from) return;
      this.drop(key, false);
      n = undefined;
    }
    if (!n) {
      if (!isOffer || this.count(swarmId) >= this.maxAnswered) return;
      n = this.open(swarmId, from, false);
    }
    n.heard = true;
    const text = JSON.stringify(payload); // an offer/answer's SDP, or one trickled candidate
    // A srflx address heard after admission can change the route's verdict (readRoute): read it again.
    if (text.length < 65_536 && n.remote.note(text) && n.connected) this.readRoute(key, false);
    try {
      n.peer.signal(payload as SignalData);
    } catch {
      this.drop(key); // a malformed handshake from that peer
    }
  }

  private open(swarmId: string, peerId: string, initiator: boolean): Neighbor {
    const key = linkKey(swarmId, peerId);
    const sink = this.opts.sink;
    const config: RTCConfiguration = { iceServers: this.iceServers };
    if (this.opts.relayOnly?.()) config.iceTransportPolicy = 'relay';
    const peer = new SimplePeer({ initiator, trickle: true, config });
    // Same task as `new SimplePeer`, before anything is sent: see FACTS.md. Chunk bytes always use
    // this channel, so a peer that relays (can't transfer it) and one that transfers interoperate.
    const channel = peer._pc.createDataChannel('chunks', { negotiated: true, id: FIRST_CHUNKS_ID });
    if (sink.canTransferChannels) {
      sink.addChannel(swarmId, peerId, channel);
    } else {
      channel.binaryType = 'arraybuffer';
      channel.bufferedAmountLowThreshold = 1 << 20;
      channel.addEventListener('message', (e: MessageEvent) => {
        if (!(e.data instanceof ArrayBuffer)) return;
        if (n.connected) return sink.relayData(key, e.data);
        // The peer admitted us before we admitted it: held until we do, within a bound.
        n.earlyBytes += e.data.byteLength;
        if (n.earlyBytes > MAX_EARLY_BYTES) this.refuseUnauthenticated(key, n, 'flood');
        else n.early.push(e.data);
      });
      channel.addEventListener('open', () => this.pumpRelay(n, key));
      channel.addEventListener('bufferedamountlow', () => this.pumpRelay(n, key));
    }
    perfMark(initiator ? 'webrtc-call' : 'webrtc-answer');
    const n: Neighbor = {
      swarmId,
      peerId,
      peer,
      initiator,
      connected: false,
      auth: new PeerAuthChannel((data) => peer.send(data)),
      early: [],
      earlyBytes: 0,
      timer: setTimeout(() => this.fail(key), this.connectTimeoutMs),
      relayQueue: [],
      channel: sink.canTransferChannels ? undefined : channel,
      renameClaim: undefined,
      renamed: false,
      issuedNonce: undefined,
      chunksId: FIRST_CHUNKS_ID,
      renewing: undefined,
      renewedAt: -Infinity,
      local: new CandidateNotes(),
      remote: new CandidateNotes(),
      heard: !initiator,
    };
    peer._pc.addEventListener?.('icecandidate', (e: RTCPeerConnectionIceEvent) => {
      if (n.local.note(e.candidate?.candidate ?? '') && n.connected) this.readRoute(key, false);
    });
    this.neighbors.set(key, n);
    peer.on('signal', (data: SignalData) => this.opts.tracker.signal(swarmId, peerId, data));
    peer.on('connect', () => {
      perfMark('webrtc-connect');
      clearTimeout(n.timer);
      this.authenticate(key, n);
    });
    peer.on('data', (data: unknown) => {
      if (!n.connected) return n.auth.deliver(data);
      const renew = decodeRenew(data);
      if (renew) this.onRenewNote(key, n, renew);
      else this.onRenamed(key, data);
    });
    peer.on('close', () => {
      n.auth.closed();
      this.drop(key);
    });
    peer.on('error', () => (n.connected ? this.drop(key) : this.fail(key)));
    this.report(swarmId);
    return n;
  }

  /** The connection is up: both sides prove they hold the link before the neighbor is admitted. */
  private authenticate(key: string, n: Neighbor): void {
    const pc = n.peer._pc;
    void Promise.resolve()
      .then(() => this.opts.authKeyFor(n.swarmId))
      .then((authKey) =>
        authenticatePeer(n.auth, {
          authKey,
          initiator: n.initiator,
          localFingerprint: sdpFingerprint(pc.localDescription?.sdp),
          remoteFingerprint: sdpFingerprint(pc.remoteDescription?.sdp),
          timeoutMs: this.opts.authTimeoutMs,
        }),
      )
      .then(
        () => this.admit(key, n),
        (err: unknown) => this.refuseUnauthenticated(key, n, err instanceof PeerAuthError ? err.reason : 'bad-input'),
      );
  }

  /** The neighbor proved it holds the link: its bytes go to the worker from now on. */
  private admit(key: string, n: Neighbor): void {
    if (this.neighbors.get(key) !== n) return;
    n.connected = true;
    this.swarms.get(n.swarmId)?.failedPeers.delete(n.peerId);
    const sink = this.opts.sink;
    if (sink.canTransferChannels) {
      sink.admitChannel(n.swarmId, n.peerId);
    } else {
      sink.addRelay(n.swarmId, key, n.peerId);
      for (const data of n.early) sink.relayData(key, data);
      n.early = [];
      this.pumpRelay(n, key);
    }
    this.report(n.swarmId);
    this.readRoute(key);
  }

  /**
   * The peer did not prove it holds the link (wrong key, junk, silence, a flood): counted as a
   * failed connection with the reason `not-holder`, closed, and not called again in this swarm
   * unless it merely timed out. It never reached the worker.
   */
  private refuseUnauthenticated(key: string, n: Neighbor, reason: string): void {
    if (this.neighbors.get(key) !== n || n.connected) return;
    if (reason === 'closed') return this.drop(key);
    const s = this.swarms.get(n.swarmId);
    if (s) {
      s.failed++;
      s.failedPeers.add(n.peerId);
      s.failure = worstFailure(s.failure, 'not-holder');
      s.notHolders++;
    }
    if (reason !== 'timeout') this.refused.add(key);
    this.drop(key);
  }

  /** Queues relayed bytes from the worker for that neighbor's simple-peer channel. */
  relaySend(link: string, data: ArrayBuffer): void {
    const n = this.neighbors.get(link);
    if (!n) return;
    n.relayQueue.push(data);
    this.pumpRelay(n, link);
  }

  /** Writes queued relay data while the channel has room (held until it opens). */
  private pumpRelay(n: Neighbor, link: string): void {
    const channel = n.channel;
    if (!channel || channel.readyState !== 'open') return;
    let written = 0;
    while (n.relayQueue.length > 0 && channel.bufferedAmount < RELAY_HIGH_WATER) {
      const data = n.relayQueue.shift()!;
      try {
        channel.send(data);
      } catch {
        this.drop(link);
        return;
      }
      written += data.byteLength;
    }
    if (written > 0) this.opts.sink.relayWritten(link, written);
  }

  /**
   * Reads the selected candidate pair until there is one, then (with `again`) once more 5 s later:
   * ICE may switch pairs after connecting. A srflx address signaled after admission also reads it
   * again (onSignal): the verdict rests on where the STUN server saw each side, and under load the
   * peer's srflx candidate may trickle in after the connection is up.
   */
  private readRoute(key: string, again = true): void {
    const n = this.neighbors.get(key);
    if (!n || !this.opts.onRoute) return;
    void statsOf(n.peer._pc).then((stats) => {
      if (this.neighbors.get(key) !== n) return;
      const route = stats && routeFromStats(stats, { local: n.local.reflexive, remote: n.remote.reflexive });
      if (route) this.opts.onRoute?.(n.swarmId, n.peerId, route);
      if (!route) setTimeout(() => this.readRoute(key, again), 1_000);
      else if (again) setTimeout(() => this.readRoute(key, false), 5_000);
    });
  }

  /** A connection that never came up: remember who and why, then drop it. */
  private fail(key: string): void {
    const n = this.neighbors.get(key);
    if (!n) return;
    const s = this.swarms.get(n.swarmId);
    if (s && !n.connected && n.heard) {
      s.failed++;
      s.failedPeers.add(n.peerId);
      s.failure = worstFailure(s.failure, failureFromCandidates(n.local.types, n.remote.types));
    }
    this.drop(key);
  }

  private drop(key: string, refill = true): void {
    const n = this.neighbors.get(key);
    if (!n) return;
    this.neighbors.delete(key);
    for (const [alias, target] of this.aliases) if (target === key) this.aliases.delete(alias);
    clearTimeout(n.timer);
    if (n.renewing) clearTimeout(n.renewing.timer);
    n.peer.removeAllListeners();
    n.peer.on('error', () => undefined);
    n.peer.destroy();
    if (!this.opts.sink.canTransferChannels) this.opts.sink.relayClosed(key);
    if (n.connected) this.opts.onRoute?.(n.swarmId, n.peerId, undefined);
    this.report(n.swarmId);
    if (refill) setTimeout(() => this.refill(n.swarmId), 2_000);
  }

  private report(swarmId: string): void {
    this.opts.onLinks?.(swarmId, this.links(swarmId));
  }
}

/** The connection's stats as plain entries; undefined if it can't give them (closed, or a stub). */
async function statsOf(pc: RTCPeerConnection): Promise<Array<{ id: string; type: string }> | undefined> {
  try {
    const report = await pc.getStats();
    const entries: Array<{ id: string; type: string }> = [];
    report.forEach((entry: { id: string; type: string }) => entries.push(entry));
    return entries;
  } catch {
    return undefined;
  }
}
