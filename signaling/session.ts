/**
 * One WebSocket connection's state. Kept small on purpose: an idle connection's memory is a
 * benchmark goal (docs/BENCHMARKS.md), so the swarm set and the signal contacts are created lazily.
 */
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import type { PeerId } from '../src/protocol/tracker.ts';
import type { BucketState } from './token-bucket.ts';

export class Session implements BucketState {
  /** Set once the client said a valid `hello`. */
  welcomed = false;
  /** Cleared by each ping sweep, set again by a pong or any message. */
  alive = true;
  /** Set when the socket is being closed; nothing more is sent to or accepted from it. */
  closing = false;
  /** Messages refused in a row by the token bucket. */
  strikes = 0;
  /** Token bucket state (the policy is shared: TrackerHub.bucket). */
  tokens: number;
  tokensAt: number;
  /** Swarms this connection announced. */
  swarms: Set<string> | undefined;
  /** Messages received. */
  messages = 0;
  /** The clock's timer that cuts the socket if its incomplete message is still incomplete (connections.ts). */
  messageDeadline: unknown;
  /** The array ws's Receiver collects this socket's frames in, reused (signaling/ws-receiver.ts). */
  wsFragments: unknown[] | undefined;
  /**
   * Per swarm: the sessions this connection exchanged signals with (told `peer-gone` when it
   * leaves). Sessions, not peer ids: a set keyed by object identity skips hashing a fresh id
   * string from each frame (a remove() takes a closed session out of every set, see hub.ts).
   * The first swarm's set is held inline (a browser tab is nearly always in one swarm): one hash
   * lookup less per relay on each side than a map of sets; further swarms go to `moreContacts`.
   */
  private contactSwarm: string | undefined;
  private contactPeers: Set<Session> | undefined;
  private moreContacts: Map<string, Set<Session>> | undefined;

  constructor(
    readonly ws: WebSocket,
    readonly peerId: PeerId,
    readonly ip: string,
    bucket: BucketState,
    /** The upgraded TCP socket under `ws`: frames are written to it whole (signaling/text-frame.ts). */
    readonly socket?: Duplex,
  ) {
    this.tokens = bucket.tokens;
    this.tokensAt = bucket.tokensAt;
    this.openedAt = bucket.tokensAt;
  }

  /** When the connection was accepted (for the hello timeout). */
  readonly openedAt: number;

  inSwarm(swarm: string): boolean {
    // contactSwarm is always one of `swarms` (dropSwarm clears it): on the relay path the string
    // compare usually answers without the set's hash lookup.
    return swarm === this.contactSwarm || (this.swarms?.has(swarm) ?? false);
  }

  swarmCount(): number {
    return this.swarms?.size ?? 0;
  }

  addSwarm(swarm: string): void {
    (this.swarms ??= new Set()).add(swarm);
  }

  /**
   * Remembers a signal exchange with `peer` in `swarm` (one of this session's swarms), up to `cap`
   * peers per swarm. True if `peer` is in the set now, false if the set was full without it.
   */
  addContact(swarm: string, peer: Session, cap: number): boolean {
    let set: Set<Session> | undefined;
    if (swarm === this.contactSwarm) set = this.contactPeers!;
    else if (this.contactSwarm === undefined && !this.moreContacts?.has(swarm)) {
      this.contactSwarm = swarm;
      set = this.contactPeers = new Set<Session>();
    } else {
      set = (this.moreContacts ??= new Map<string, Set<Session>>()).get(swarm);
      if (!set) this.moreContacts.set(swarm, (set = new Set<Session>()));
    }
    if (set.size < cap) {
      set.add(peer);
      return true;
    }
    return set.has(peer);
  }

  removeContact(swarm: string, peer: Session): void {
    if (swarm === this.contactSwarm) this.contactPeers!.delete(peer);
    else this.moreContacts?.get(swarm)?.delete(peer);
  }

  /** Forgets `swarm` and returns the peers to tell that this one left it. */
  dropSwarm(swarm: string): Set<Session> | undefined {
    this.swarms?.delete(swarm);
    if (swarm === this.contactSwarm) {
      const contacts = this.contactPeers;
      this.contactSwarm = this.contactPeers = undefined;
      return contacts;
    }
    const contacts = this.moreContacts?.get(swarm);
    this.moreContacts?.delete(swarm);
    return contacts;
  }

  /** Contacts remembered over all swarms (for leak checks). */
  contactCount(): number {
    let n = this.contactPeers?.size ?? 0;
    if (this.moreContacts) for (const set of this.moreContacts.values()) n += set.size;
    if (this.remoteContacts) for (const set of this.remoteContacts.values()) n += set.size;
    return n;
  }

  /** Peers on other instances this one exchanged signals with, by swarm (only with a backplane). */
  private remoteContacts: Map<string, Set<PeerId>> | undefined;

  /** Remembers a signal exchange with `peer` on another instance, up to `cap` per swarm. */
  addRemoteContact(swarm: string, peer: PeerId, cap: number): void {
    if (!this.inSwarm(swarm)) return;
    let set = (this.remoteContacts ??= new Map<string, Set<PeerId>>()).get(swarm);
    if (!set) this.remoteContacts.set(swarm, (set = new Set<PeerId>()));
    if (set.size < cap) set.add(peer);
  }

  removeRemoteContact(swarm: string, peer: PeerId): void {
    this.remoteContacts?.get(swarm)?.delete(peer);
  }

  /** Forgets the remote contacts in `swarm` and returns them (to tell them this one left). */
  dropRemoteContacts(swarm: string): Set<PeerId> | undefined {
    const contacts = this.remoteContacts?.get(swarm);
    this.remoteContacts?.delete(swarm);
    return contacts;
  }
}
