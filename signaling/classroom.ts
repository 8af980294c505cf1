/**
 * Classroom mode on the tracker, through its extension hook (signaling/extensions.ts). A room is
 * a swarm plus the sharer's public key (src/protocol/classroom-signing.ts): whoever opens a room
 * must prove it holds the matching secret key, and every control must carry its signature, so a
 * student with the share link can open at most a room of its own that no page trusts.
 *
 * Bounded everywhere: rooms in total, per opening connection and per address (a room is never
 * evicted: it goes only when nobody is left in it); projector slots per room and per address, with
 * slots only the teacher (a signed watch) can take; stats per member; controls and opens per room.
 * Controls beyond a room's rate are coalesced: the latest waits and goes out when the rate allows,
 * so a burst from one connection fans out as a few messages per member, not one per control.
 * Nothing here sees file contents; stats are numbers and bitfields.
 * With several instances (REDIS_URL), each room lives whole on one of them and classroom-cluster.ts
 * routes the other instances' peers to it; without, nothing of that runs.
 */
import {
  MAX_STATS_BYTES,
  classroomControlSchema,
  classroomJoinSchema,
  classroomOpenSchema,
  classroomStatsSchema,
  classroomWatchSchema,
  type ClassroomErrorCode,
} from '../src/protocol/classroom.ts';
import type { KeyObject } from 'node:crypto';
import { controlBytes, parseControlBody, proofBytes } from '../src/protocol/classroom-signing.ts';
import type { PeerId } from '../src/protocol/tracker.ts';
import { ClassroomCluster } from './classroom-cluster.ts';
import { DEFAULT_CLASSROOM_LIMITS, publicKeyOf, verifies, type ClassroomLimits } from './classroom-limits.ts';
import type { HandlerContext, MessageHandler, OutgoingMessage, TrackerExtensionHost } from './extensions.ts';
import { TokenBucket, type BucketState } from './token-bucket.ts';
import type { z } from 'zod';

export { DEFAULT_CLASSROOM_LIMITS, type ClassroomLimits } from './classroom-limits.ts';

interface SignedControl {
  body: string;
  sig: string;
  seq: number;
}

interface Room {
  swarm: string;
  key: string;
  publicKey: KeyObject;
  /** The connection that opened it (last), and its address. */
  sharer: PeerId | undefined;
  openedFrom: string;
  control: SignedControl | undefined;
  /** A control waiting for the room's rate (the latest of a burst). */
  pending: SignedControl | undefined;
  flushTimer: ReturnType<typeof setTimeout> | undefined;
  controlBucket: BucketState;
  openBucket: BucketState;
  watchers: Map<PeerId, { address: string; teacher: boolean }>;
  /** Pages that joined, with their stats token bucket. */
  members: Map<PeerId, BucketState>;
}

const roomId = (swarm: string, key: string) => `${swarm}/${key}`;

/** Registers the classroom message types on `host`. Returns a read-only view for tests and /healthz. */
export function registerClassroom(
  host: TrackerExtensionHost,
  limits: Partial<ClassroomLimits> = {},
  now: () => number = () => performance.now(),
) {
  const lim = { ...DEFAULT_CLASSROOM_LIMITS, ...limits };
  const statsBucket = new TokenBucket(lim.statsPerSecond, 2 * lim.statsPerSecond, now);
  const controlBucket = new TokenBucket(lim.controlsPerSecond, 2 * lim.controlsPerSecond, now);
  const openBucket = new TokenBucket(lim.opensPerSecond, 4, now);
  const signatureBucket = new TokenBucket(lim.signaturesPerSecond, 2 * lim.signaturesPerSecond, now);
  const rooms = new Map<string, Room>();
  /** Per connection: its signature-check bucket (checks cost CPU: a flood must not stall relays). */
  const checks = new Map<PeerId, BucketState>();
  let fannedOut = 0;
  const cluster = host.backplane
    ? new ClassroomCluster(
        host,
        host.backplane,
        {
          hasRoom: (swarm, key) => rooms.has(roomId(swarm, key)),
          rooms: () => [...rooms.values()].map((r) => [r.swarm, r.key] as const),
          dropPeer: (peer) => dropPeer(peer),
          dropMember: (swarm, peer) => dropWhere((room, p) => room.swarm === swarm && p === peer, false),
          dropInstance: (tag) => {
            for (const peer of checks.keys()) if (peer.startsWith(tag)) checks.delete(peer);
            dropWhere((_room, p) => p.startsWith(tag), true);
          },
        },
        (level, message) => (level === 'info' ? undefined : console.warn(message)),
        lim.ownerCacheMs,
      )
    : undefined;
  /** Whether a room's member is still in the swarm: a peer of another instance is until its instance says otherwise. */
  const present = (swarm: string, peer: PeerId) =>
    cluster && !cluster.isLocal(peer) ? true : host.registry.has(swarm, peer);
  const register = <T extends { type: string; swarm: string; key: string }>(
    type: string,
    schema: z.ZodType<T>,
    handle: MessageHandler<T>,
  ) => host.registerHandler(type, schema, cluster ? cluster.route(type, schema, handle) : handle);

  /** False (and the sender told) when this connection has used up its signature checks. */
  const mayCheck = (ctx: HandlerContext, swarm: string): boolean => {
    let bucket = checks.get(ctx.peerId);
    if (!bucket) checks.set(ctx.peerId, (bucket = signatureBucket.fresh()));
    if (signatureBucket.take(bucket)) return true;
    fail(ctx, 'rate-limited', swarm, `at most ${lim.signaturesPerSecond} signed messages per second`);
    return false;
  };

  const fail = (ctx: HandlerContext, code: ClassroomErrorCode, swarm: string, message: string) =>
    ctx.reply({ type: 'classroom-error', swarm, code, message });
  const send = (peer: PeerId, message: OutgoingMessage) => {
    if (host.sendTo(peer, message) || cluster?.sendRemote(peer, message)) fannedOut++;
  };
  const find = (ctx: HandlerContext, swarm: string, key: string): Room | undefined => {
    const room = rooms.get(roomId(swarm, key));
    if (!room) fail(ctx, 'not-classroom', swarm, 'this swarm has no classroom with that key');
    return room;
  };

  const membersMessage = (room: Room): OutgoingMessage => ({
    type: 'classroom-members',
    swarm: room.swarm,
    key: room.key,
    peers: [...room.members.keys()].filter((p) => present(room.swarm, p)),
    sharer: room.sharer && present(room.swarm, room.sharer) ? room.sharer : undefined,
  });
  const controlMessage = (room: Room, c: SignedControl): OutgoingMessage => ({
    type: 'classroom-control',
    swarm: room.swarm,
    key: room.key,
    body: c.body,
    sig: c.sig,
  });
  const toWatchers = (room: Room, message: OutgoingMessage) => {
    for (const w of room.watchers.keys()) send(w, message);
  };
  /** Everyone in the room once: sharer, members, watchers. */
  const everyone = (room: Room) =>
    new Set([...(room.sharer ? [room.sharer] : []), ...room.members.keys(), ...room.watchers.keys()]);

  function roomsOpenedBy(peer: PeerId) {
    let n = 0;
    for (const r of rooms.values()) if (r.sharer === peer) n++;
    return n;
  }
  function roomsFrom(address: string) {
    let n = 0;
    for (const r of rooms.values()) if (r.openedFrom === address) n++;
    return n;
  }

  register('classroom-open', classroomOpenSchema, (msg, ctx) => {
    if (!ctx.swarms.has(msg.swarm))
      return fail(ctx, 'not-member', msg.swarm, 'announce the swarm before opening a classroom for it');
    if (!mayCheck(ctx, msg.swarm)) return;
    let room = rooms.get(roomId(msg.swarm, msg.key));
    const publicKey = room?.publicKey ?? publicKeyOf(msg.key);
    if (!publicKey || !verifies(publicKey, proofBytes('open', msg.swarm, msg.key, ctx.peerId), msg.proof))
      return fail(ctx, 'bad-secret', msg.swarm, 'the proof does not match the key');
    if (room && !openBucket.take(room.openBucket))
      return fail(ctx, 'rate-limited', msg.swarm, `at most ${lim.opensPerSecond} opens per second`);
    if (!room) {
      if (rooms.size >= lim.maxClassrooms)
        return fail(ctx, 'full', msg.swarm, 'the tracker has no room for more classrooms');
      if (roomsOpenedBy(ctx.peerId) >= lim.maxRoomsPerConnection || roomsFrom(ctx.address) >= lim.maxRoomsPerAddress)
        return fail(ctx, 'full', msg.swarm, 'too many classrooms opened from your connection or address');
      room = {
        swarm: msg.swarm,
        key: msg.key,
        publicKey,
        sharer: ctx.peerId,
        openedFrom: ctx.address,
        control: undefined,
        pending: undefined,
        flushTimer: undefined,
        controlBucket: controlBucket.fresh(),
        openBucket: openBucket.fresh(),
        watchers: new Map(),
        members: new Map(),
      };
      rooms.set(roomId(msg.swarm, msg.key), room);
    }
    room.sharer = ctx.peerId; // the key's holder after a reload: the new connection is the sharer
    room.openedFrom = ctx.address;
    ctx.reply({ type: 'classroom-opened', swarm: msg.swarm, key: msg.key, hasControl: room.control !== undefined });
    if (room.control) ctx.reply(controlMessage(room, room.control));
    toWatchers(room, membersMessage(room));
  });

  register('classroom-join', classroomJoinSchema, (msg, ctx) => {
    if (!ctx.swarms.has(msg.swarm))
      return fail(ctx, 'not-member', msg.swarm, 'announce the swarm before joining its classroom');
    const room = find(ctx, msg.swarm, msg.key);
    if (!room) return;
    if (!room.members.has(ctx.peerId)) {
      if (room.members.size >= lim.maxMembers) return fail(ctx, 'full', msg.swarm, 'this classroom is full');
      room.members.set(ctx.peerId, statsBucket.fresh());
      toWatchers(room, membersMessage(room));
    }
    if (room.control) ctx.reply(controlMessage(room, room.control));
  });

  register('classroom-watch', classroomWatchSchema, (msg, ctx) => {
    const room = find(ctx, msg.swarm, msg.key);
    if (!room) return;
    if (msg.proof !== undefined && !mayCheck(ctx, msg.swarm)) return;
    const teacher =
      msg.proof !== undefined &&
      verifies(room.publicKey, proofBytes('watch', msg.swarm, msg.key, ctx.peerId), msg.proof);
    if (msg.proof !== undefined && !teacher)
      return fail(ctx, 'bad-secret', msg.swarm, 'the proof does not match the key');
    if (!room.watchers.has(ctx.peerId)) {
      const all = [...room.watchers.values()];
      const sameKind = all.filter((w) => w.teacher === teacher).length;
      const fromAddress = all.filter((w) => !w.teacher && w.address === ctx.address).length;
      if (teacher ? sameKind >= lim.teacherWatchers : sameKind >= lim.maxWatchers)
        return fail(ctx, 'rate-limited', msg.swarm, 'too many projector views of this classroom');
      if (!teacher && fromAddress >= lim.maxWatchersPerAddress)
        return fail(ctx, 'rate-limited', msg.swarm, 'too many projector views from your address');
      room.watchers.set(ctx.peerId, { address: ctx.address, teacher });
    }
    ctx.reply(membersMessage(room));
    if (room.control) ctx.reply(controlMessage(room, room.control));
  });

  register('classroom-stats', classroomStatsSchema, (msg, ctx) => {
    const room = find(ctx, msg.swarm, msg.key);
    if (!room) return;
    if (!ctx.swarms.has(msg.swarm))
      return fail(ctx, 'not-member', msg.swarm, 'only members of the swarm publish stats');
    let bucket = room.members.get(ctx.peerId);
    if (!bucket && room.sharer === ctx.peerId) {
      bucket = statsBucket.fresh();
      room.members.set(ctx.peerId, bucket);
      toWatchers(room, membersMessage(room));
    }
    if (!bucket) return fail(ctx, 'not-member', msg.swarm, 'join the classroom before publishing stats');
    if (JSON.stringify(msg.stats).length > MAX_STATS_BYTES)
      return fail(ctx, 'too-large', msg.swarm, `stats over ${MAX_STATS_BYTES} bytes`);
    if (!statsBucket.take(bucket))
      return fail(ctx, 'rate-limited', msg.swarm, `at most ${lim.statsPerSecond} stats per second`);
    toWatchers(room, { type: 'classroom-stats', swarm: room.swarm, key: room.key, from: ctx.peerId, stats: msg.stats });
  });

  register('classroom-control', classroomControlSchema, (msg, ctx) => {
    const room = find(ctx, msg.swarm, msg.key);
    if (!room) return;
    if (!mayCheck(ctx, msg.swarm)) return;
    const body = verifies(room.publicKey, controlBytes(msg.swarm, msg.key, msg.body), msg.sig)
      ? parseControlBody(msg.body)
      : null;
    if (!body) return fail(ctx, 'bad-secret', msg.swarm, 'only the sharer’s browser can change the settings');
    const latest = room.pending?.seq ?? room.control?.seq ?? 0;
    if (body.seq <= latest) return fail(ctx, 'bad-message', msg.swarm, 'an older control than the one in force');
    room.pending = { body: msg.body, sig: msg.sig, seq: body.seq };
    flush(room);
  });

  /** Fans the pending control out if the room's rate allows, else once it does (the latest wins). */
  function flush(room: Room) {
    if (!room.pending || room.flushTimer !== undefined) return;
    if (!controlBucket.take(room.controlBucket)) {
      const wait = Math.max(1, ((1 - room.controlBucket.tokens) / lim.controlsPerSecond) * 1000);
      room.flushTimer = setTimeout(() => {
        room.flushTimer = undefined;
        if (rooms.get(roomId(room.swarm, room.key)) === room) flush(room);
      }, wait);
      room.flushTimer.unref?.();
      return;
    }
    const control = room.pending;
    room.pending = undefined;
    room.control = control;
    const message = controlMessage(room, control);
    for (const peer of everyone(room)) send(peer, message);
    if ((JSON.parse(control.body) as { closed?: boolean }).closed) close(room);
  }

  function close(room: Room) {
    clearTimeout(room.flushTimer);
    rooms.delete(roomId(room.swarm, room.key));
    cluster?.released(room.swarm, room.key);
  }

  /** A connection closed (here, or on another instance: classroom-cluster.ts). */
  function dropPeer(peer: PeerId) {
    checks.delete(peer);
    for (const room of rooms.values()) {
      const watched = room.watchers.delete(peer);
      const member = room.members.delete(peer);
      if (room.sharer === peer) room.sharer = undefined;
      afterDrop(room, member || watched);
    }
  }

  /** Drops the members (and, with `watchers`, the watchers and sharer) that `gone` picks. */
  function dropWhere(gone: (room: Room, peer: PeerId) => boolean, watchers: boolean) {
    for (const room of rooms.values()) {
      let changed = false;
      for (const peer of room.members.keys()) if (gone(room, peer)) changed = room.members.delete(peer);
      if (watchers) for (const peer of room.watchers.keys()) if (gone(room, peer)) changed = room.watchers.delete(peer);
      if (room.sharer && gone(room, room.sharer)) room.sharer = undefined;
      afterDrop(room, changed);
    }
  }

  function afterDrop(room: Room, changed: boolean) {
    // Nobody left: the room goes (the sharer re-opens it after a reload).
    if (!room.sharer && room.members.size === 0 && room.watchers.size === 0) close(room);
    else if (changed) toWatchers(room, membersMessage(room));
  }

  host.onDisconnect(dropPeer);

  return {
    /** Number of open classroom rooms. */
    size: () => rooms.size,
    isOpen: (swarm: string, key: string) => rooms.has(roomId(swarm, key)),
    watchers: (swarm: string, key: string) => rooms.get(roomId(swarm, key))?.watchers.size ?? 0,
    /** Classroom messages sent so far (for fan-out tests). */
    fannedOut: () => fannedOut,
  };
}
