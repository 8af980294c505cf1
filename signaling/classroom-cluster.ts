/**
 * Classroom rooms across tracker instances (REDIS_URL; docs/TRACKER.md, "Classroom rooms across
 * instances"). Each room lives on one instance, its owner: the one its first open reached, which
 * claims the room's name in Redis (signaling/backplane.ts `claim`). The owner keeps the whole room
 * in memory exactly as a single tracker does (signaling/classroom.ts: the signed open, the latest
 * control and its seq, members, watchers, every limit and rate), so nothing about a room is split
 * between instances. This module only routes:
 * - a classroom message from a peer of this instance goes to the room's owner over the owner's
 *   pub/sub channel, with the sender's id, address and whether it is in the swarm (its own
 *   instance is the one that knows); the owner handles it as if the peer were its own;
 * - whatever the owner sends to a peer on another instance goes over that instance's channel,
 *   one publish per instance and message however many of its peers get it;
 * - a peer that leaves a swarm or disconnects is reported to the owners it spoke to, and an
 *   instance that dies is dropped from every room by the owners (onInstanceGone).
 * Redis failing during a lookup: the message is handled here, as by a single tracker.
 * Owners found by a lookup are kept a moment (signaling/owner-cache.ts) so a busy room costs no
 * Redis call per message; a message passed on by an old owner (the room moved) is looked up in
 * Redis there, never in a cache, so two stale caches cannot bounce it between them.
 */
import { PEER_ID_PATTERN, type PeerId } from '../src/protocol/tracker.ts';
import type { SwarmBackplane } from './backplane.ts';
import type { HandlerContext, MessageHandler, OutgoingMessage, TrackerExtensionHost } from './extensions.ts';
import type { Log } from './hub.ts';
import { OwnerCache } from './owner-cache.ts';
import type { z } from 'zod';

type RoomMessage = { type: string; swarm: string; key: string };

/** What the room logic (classroom.ts) offers the router. */
export interface RoomHooks {
  hasRoom(swarm: string, key: string): boolean;
  /** Every room held here, as [swarm, key]. */
  rooms(): Iterable<readonly [string, string]>;
  /** A peer on another instance disconnected (or its instance died: `dropInstance`). */
  dropPeer(peer: PeerId): void;
  /** A peer on another instance left `swarm`: it is no longer a member of that swarm's rooms. */
  dropMember(swarm: string, peer: PeerId): void;
  dropInstance(tag: string): void;
}

/** What instances send each other on the `classroom` topic. */
type Wire =
  | { k: 'in'; from: PeerId; address: string; member: boolean; msg: RoomMessage }
  | { k: 'out'; batch: { to: PeerId[]; msg: OutgoingMessage }[] }
  | { k: 'gone'; peer: PeerId; swarm?: string }
  /** To a peer's instance from a room's old owner that passed its message on: the room is on `owner` now. */
  | { k: 'moved'; peer: PeerId; room: string; owner: string };

const TOPIC = 'classroom';
const EMPTY = new Set<string>();
export const roomName = (swarm: string, key: string) => `classroom:${swarm}:${key}`;

export class ClassroomCluster {
  private readonly tag: string;
  /** Per type: its schema and the routed handler (a forwarded message may have to move on). */
  private readonly handlers = new Map<
    string,
    { schema: z.ZodType<RoomMessage>; routed: MessageHandler<RoomMessage> }
  >();
  /** Per local peer: the instances owning rooms it spoke to (told when it leaves). */
  private readonly owners = new Map<PeerId, Set<string>>();
  /** Peers with a lookup in flight, and those of them that disconnected meanwhile. */
  private readonly inFlight = new Map<PeerId, number>();
  private readonly vanished = new Set<PeerId>();
  /** Messages to peers on other instances, sent as one publish per instance at the end of the tick. */
  private outbox = new Map<string, Map<OutgoingMessage, PeerId[]>>();
  private readonly ownerCache: OwnerCache;
  /** Contexts of messages other instances passed here: routed by Redis's word only. */
  private readonly forwarded = new WeakSet<HandlerContext>();

  constructor(
    private readonly host: TrackerExtensionHost,
    private readonly backplane: SwarmBackplane,
    private readonly rooms: RoomHooks,
    private readonly log: Log,
    /** How long a looked-up owner is used without asking Redis again (ClassroomLimits.ownerCacheMs). */
    ownerCacheMs: number,
    now: () => number = () => performance.now(),
  ) {
    this.tag = backplane.peerIdPrefix;
    this.ownerCache = new OwnerCache(ownerCacheMs, (tag) => backplane.liveForMs(tag), now);
    backplane.onInstanceMessage(TOPIC, (text) => this.receive(text));
    backplane.onInstanceGone((tag) => {
      this.ownerCache.dropOwner(tag);
      rooms.dropInstance(tag);
      for (const set of this.owners.values()) set.delete(tag);
    });
    // Rooms opened here while Redis was away were never claimed: claim them now.
    backplane.onAvailability((available) => {
      this.ownerCache.clear(); // what we knew before an outage is not to be trusted after it
      if (!available) return;
      for (const [swarm, key] of rooms.rooms())
        backplane.claim(roomName(swarm, key)).then(
          (owner) => owner !== this.tag && log('warn', `classroom: room ${key} of ${swarm} is also on ${owner}`),
          () => undefined, // still away: the next recovery claims again
        );
    });
    host.onDisconnect((peer) => {
      if (this.inFlight.has(peer)) this.vanished.add(peer);
      for (const owner of this.owners.get(peer) ?? []) this.post(owner, { k: 'gone', peer });
      this.owners.delete(peer);
    });
    host.onSwarmChange(({ kind, swarm, peerId }) => {
      if (kind !== 'leave') return;
      for (const owner of this.owners.get(peerId) ?? []) this.post(owner, { k: 'gone', peer: peerId, swarm });
    });
  }

  isLocal(peer: PeerId): boolean {
    return peer.startsWith(this.tag);
  }

  /** The handler to register for `type`: the room's own instance runs `handle`, others forward. */
  route<T extends RoomMessage>(type: string, schema: z.ZodType<T>, handle: MessageHandler<T>): MessageHandler<T> {
    const routed: MessageHandler<T> = (msg, ctx) => {
      if (this.rooms.hasRoom(msg.swarm, msg.key)) return handle(msg, ctx);
      const name = roomName(msg.swarm, msg.key);
      // A room nobody holds is created where it is opened; other messages only look.
      const opening = type === 'classroom-open';
      const peer = ctx.peerId;
      // From the cache only when none of this peer's messages is still being looked up: its
      // messages reach the owner in the order it sent them (a teacher's controls, a join before stats).
      const cached =
        opening || this.forwarded.has(ctx) || this.inFlight.has(peer) ? undefined : this.ownerCache.get(name);
      if (cached !== undefined && this.forward(cached, msg, ctx)) return;
      this.inFlight.set(peer, (this.inFlight.get(peer) ?? 0) + 1);
      const done = () => {
        const left = this.inFlight.get(peer)! - 1;
        if (left > 0) this.inFlight.set(peer, left);
        else this.inFlight.delete(peer);
        const gone = this.vanished.has(peer);
        if (left === 0) this.vanished.delete(peer);
        return gone;
      };
      (opening ? this.backplane.claim(name) : this.backplane.ownerOf(name)).then(
        (owner) => {
          if (done()) return; // the peer disconnected meanwhile: nothing to do for it
          if (owner !== undefined && owner !== this.tag) this.ownerCache.set(name, owner);
          else this.ownerCache.delete(name);
          if (owner === undefined || owner === this.tag || !this.forward(owner, msg, ctx)) handle(msg, ctx);
          if (opening && owner === this.tag && !this.rooms.hasRoom(msg.swarm, msg.key)) this.backplane.release(name);
        },
        (err: Error) => {
          if (done()) return;
          this.log('warn', `classroom: room lookup failed, handled here: ${err.message}`);
          handle(msg, ctx);
        },
      );
    };
    this.handlers.set(type, { schema, routed: routed as MessageHandler<RoomMessage> });
    return routed;
  }

  /** The room was closed here: another instance may open it again. */
  released(swarm: string, key: string): void {
    this.ownerCache.delete(roomName(swarm, key));
    this.backplane.release(roomName(swarm, key));
  }

  /** Sends to a peer of another instance; false if it is ours or its instance is not live. */
  sendRemote(peer: PeerId, msg: OutgoingMessage): boolean {
    if (this.isLocal(peer)) return false;
    const tag = peer.slice(0, this.tag.length);
    let forTag = this.outbox.get(tag);
    if (!forTag) {
      if (this.outbox.size === 0) queueMicrotask(() => this.flush());
      this.outbox.set(tag, (forTag = new Map<OutgoingMessage, PeerId[]>()));
    }
    const to = forTag.get(msg);
    if (to) to.push(peer);
    else forTag.set(msg, [peer]);
    return true;
  }

  private flush(): void {
    const outbox = this.outbox;
    this.outbox = new Map();
    for (const [tag, messages] of outbox)
      this.post(tag, { k: 'out', batch: [...messages].map(([msg, to]) => ({ to, msg })) });
  }

  private forward(owner: string, msg: RoomMessage, ctx: HandlerContext): boolean {
    const wire: Wire = { k: 'in', from: ctx.peerId, address: ctx.address, member: ctx.swarms.has(msg.swarm), msg };
    if (!this.post(owner, wire)) return false;
    if (!this.isLocal(ctx.peerId)) {
      // Passed on (the room moved): the peer's own instance learns the new owner, to tell it when
      // the peer leaves and to stop sending there through a stale cache.
      const room = roomName(msg.swarm, msg.key);
      this.post(ctx.peerId.slice(0, this.tag.length), { k: 'moved', peer: ctx.peerId, room, owner });
      return true;
    }
    let set = this.owners.get(ctx.peerId);
    if (!set) this.owners.set(ctx.peerId, (set = new Set()));
    set.add(owner);
    return true;
  }

  private post(tag: string, wire: Wire): boolean {
    return this.backplane.sendToInstance(tag, TOPIC, JSON.stringify(wire));
  }

  /** From another instance (Redis is trusted, but a bug there must not reach a client or crash us). */
  private receive(text: string): void {
    let wire: Wire;
    try {
      wire = JSON.parse(text) as Wire;
    } catch {
      return;
    }
    try {
      if (wire.k === 'out') {
        for (const { to, msg } of wire.batch)
          for (const peer of to) if (this.isLocal(peer)) this.host.sendTo(peer, msg);
      } else if (wire.k === 'gone') {
        if (this.isLocal(wire.peer)) return;
        if (wire.swarm === undefined && this.inFlight.has(wire.peer)) this.vanished.add(wire.peer);
        if (wire.swarm === undefined) this.rooms.dropPeer(wire.peer);
        else this.rooms.dropMember(wire.swarm, wire.peer);
      } else if (wire.k === 'moved') this.moved(wire);
      else if (wire.k === 'in') this.handleForwarded(wire);
    } catch (err) {
      this.log('error', `classroom: message from another instance failed: ${(err as Error).stack ?? String(err)}`);
    }
  }

  private moved({ peer, room, owner }: Extract<Wire, { k: 'moved' }>): void {
    if (!this.isLocal(peer) || typeof owner !== 'string' || owner === this.tag) return;
    this.ownerCache.delete(String(room));
    const set = this.owners.get(peer);
    if (set) set.add(owner);
    else this.post(owner, { k: 'gone', peer }); // it disconnected while its message travelled
  }

  private handleForwarded({ from, address, member, msg }: Extract<Wire, { k: 'in' }>): void {
    const entry = this.handlers.get(msg?.type);
    if (!entry || !PEER_ID_PATTERN.test(from) || this.isLocal(from)) return;
    const checked = entry.schema.safeParse(msg);
    if (!checked.success) return;
    const reply = (m: OutgoingMessage) => void this.sendRemote(from, m);
    // Routed again: if the room closed here meanwhile, an open claims it anew (or finds its new owner).
    const ctx: HandlerContext = {
      peerId: from,
      address: String(address),
      swarms: member === true ? new Set([checked.data.swarm]) : EMPTY,
      registry: this.host.registry,
      reply,
      sendTo: (peer, m) => this.host.sendTo(peer, m) || this.sendRemote(peer, m),
      error: (code, message) => reply({ type: 'error', code, message, ref: msg.type }),
    };
    this.forwarded.add(ctx);
    entry.routed(checked.data, ctx);
  }
}
