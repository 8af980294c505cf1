/**
 * Classroom mode on the tracker, through its extension hook (signaling/extensions.ts): the sharer
 * opens a swarm for classroom mode with the hash of a secret its tab keeps; members publish stats
 * (rate- and size-limited) that are relayed to the swarm's watchers; watchers are anyone who knows
 * the swarm id (it is in the share link); controls are accepted only with the secret, then go to
 * every member and watcher. Nothing here sees file contents; stats are numbers and bitfields.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import {
  MAX_STATS_BYTES,
  classroomCloseSchema,
  classroomControlSchema,
  classroomOpenSchema,
  classroomStatsSchema,
  classroomWatchSchema,
  type ClassroomControl,
  type ClassroomErrorCode,
} from '../src/protocol/classroom.ts';
import type { PeerId } from '../src/protocol/tracker.ts';
import type { HandlerContext, OutgoingMessage, TrackerExtensionHost } from './extensions.ts';

export interface ClassroomLimits {
  /** Stats a member may publish per second per swarm (burst: twice that). */
  statsPerSecond: number;
  /** Watchers of one swarm. */
  maxWatchers: number;
  /** Classroom swarms remembered; the oldest with nobody left are forgotten first. */
  maxClassrooms: number;
}

export const DEFAULT_CLASSROOM_LIMITS: ClassroomLimits = { statsPerSecond: 2, maxWatchers: 16, maxClassrooms: 1000 };

interface Classroom {
  secretHash: Buffer;
  sharer: PeerId;
  control: ClassroomControl;
  watchers: Set<PeerId>;
  /** Members that published stats, with their stats token bucket. */
  members: Map<PeerId, { tokens: number; at: number; hasControl: boolean }>;
  openedAt: number;
}

const DEFAULT_CONTROL: ClassroomControl = { round: 0, mode: 'p2p', sharerUp: 0, peerUp: 0, peerDown: 0, perPeer: {} };

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/** Registers the four classroom message types on `host`. Returns a read-only view for tests and /healthz. */
export function registerClassroom(
  host: TrackerExtensionHost,
  limits: Partial<ClassroomLimits> = {},
  now: () => number = Date.now,
) {
  const lim = { ...DEFAULT_CLASSROOM_LIMITS, ...limits };
  const rooms = new Map<string, Classroom>();

  const fail = (ctx: HandlerContext, code: ClassroomErrorCode, swarm: string, message: string) =>
    ctx.reply({ type: 'classroom-error', swarm, code, message });

  const membersMessage = (swarm: string, room: Classroom): OutgoingMessage => ({
    type: 'classroom-members',
    swarm,
    peers: [...room.members.keys()].filter((p) => host.registry.has(swarm, p)),
    sharer: host.registry.has(swarm, room.sharer) ? room.sharer : undefined,
  });
  const toWatchers = (room: Classroom, message: OutgoingMessage) => {
    for (const w of room.watchers) host.sendTo(w, message);
  };

  host.registerHandler('classroom-open', classroomOpenSchema, (msg, ctx) => {
    if (!ctx.swarms.has(msg.swarm))
      return fail(ctx, 'not-member', msg.swarm, 'announce the swarm before opening it for classroom mode');
    const hash = Buffer.from(msg.secretHash, 'hex');
    let room = rooms.get(msg.swarm);
    if (room && !timingSafeEqual(room.secretHash, hash))
      return fail(ctx, 'already-open', msg.swarm, 'this swarm is in classroom mode with another secret');
    if (!room) {
      evictIfFull();
      room = {
        secretHash: hash,
        sharer: ctx.peerId,
        control: DEFAULT_CONTROL,
        watchers: new Set(),
        members: new Map(),
        openedAt: now(),
      };
      rooms.set(msg.swarm, room);
    }
    room.sharer = ctx.peerId; // the same secret after a reload: the new connection is the sharer
    room.members.set(ctx.peerId, { tokens: 2 * lim.statsPerSecond, at: now(), hasControl: true });
    // Every member learns at once that the swarm is in classroom mode (and starts sending stats).
    const control = { type: 'classroom-control', swarm: msg.swarm, control: room.control };
    for (const peer of host.registry.sample(msg.swarm, host.registry.size(msg.swarm))) host.sendTo(peer, control);
    toWatchers(room, membersMessage(msg.swarm, room));
  });

  host.registerHandler('classroom-watch', classroomWatchSchema, (msg, ctx) => {
    const room = rooms.get(msg.swarm);
    if (!room) return fail(ctx, 'not-classroom', msg.swarm, 'this swarm is not in classroom mode');
    if (!room.watchers.has(ctx.peerId) && room.watchers.size >= lim.maxWatchers)
      return fail(ctx, 'rate-limited', msg.swarm, 'too many projector views of this swarm');
    room.watchers.add(ctx.peerId);
    ctx.reply(membersMessage(msg.swarm, room));
    ctx.reply({ type: 'classroom-control', swarm: msg.swarm, control: room.control });
  });

  host.registerHandler('classroom-stats', classroomStatsSchema, (msg, ctx) => {
    const room = rooms.get(msg.swarm);
    if (!room) return fail(ctx, 'not-classroom', msg.swarm, 'this swarm is not in classroom mode');
    if (!ctx.swarms.has(msg.swarm))
      return fail(ctx, 'not-member', msg.swarm, 'only members of the swarm publish stats');
    if (JSON.stringify(msg.stats).length > MAX_STATS_BYTES)
      return fail(ctx, 'too-large', msg.swarm, `stats over ${MAX_STATS_BYTES} bytes`);
    const t = now();
    let member = room.members.get(ctx.peerId);
    const joined = !member;
    if (!member) {
      member = { tokens: 2 * lim.statsPerSecond, at: t, hasControl: false };
      room.members.set(ctx.peerId, member);
    }
    member.tokens = Math.min(2 * lim.statsPerSecond, member.tokens + ((t - member.at) / 1000) * lim.statsPerSecond);
    member.at = t;
    if (member.tokens < 1)
      return fail(ctx, 'rate-limited', msg.swarm, `at most ${lim.statsPerSecond} stats per second`);
    member.tokens -= 1;
    if (!member.hasControl) {
      member.hasControl = true;
      ctx.reply({ type: 'classroom-control', swarm: msg.swarm, control: room.control });
    }
    if (joined) toWatchers(room, membersMessage(msg.swarm, room));
    toWatchers(room, { type: 'classroom-stats', swarm: msg.swarm, from: ctx.peerId, stats: msg.stats });
  });

  host.registerHandler('classroom-control', classroomControlSchema, (msg, ctx) => {
    const room = rooms.get(msg.swarm);
    if (!room) return fail(ctx, 'not-classroom', msg.swarm, 'this swarm is not in classroom mode');
    if (!timingSafeEqual(sha256(msg.secret), room.secretHash))
      return fail(ctx, 'bad-secret', msg.swarm, 'only the sharer’s browser can change the settings');
    room.control = msg.control;
    const message = { type: 'classroom-control', swarm: msg.swarm, control: room.control };
    for (const peer of host.registry.sample(msg.swarm, host.registry.size(msg.swarm))) {
      host.sendTo(peer, message);
      const m = room.members.get(peer);
      if (m) m.hasControl = true;
    }
    for (const w of room.watchers) if (!host.registry.has(msg.swarm, w)) host.sendTo(w, message);
  });

  host.registerHandler('classroom-close', classroomCloseSchema, (msg, ctx) => {
    const room = rooms.get(msg.swarm);
    if (!room) return fail(ctx, 'not-classroom', msg.swarm, 'this swarm is not in classroom mode');
    if (!timingSafeEqual(sha256(msg.secret), room.secretHash))
      return fail(ctx, 'bad-secret', msg.swarm, 'only the sharer’s browser can turn classroom mode off');
    rooms.delete(msg.swarm);
    const closed = { type: 'classroom-closed', swarm: msg.swarm };
    for (const peer of host.registry.sample(msg.swarm, host.registry.size(msg.swarm))) host.sendTo(peer, closed);
    for (const w of room.watchers) if (!host.registry.has(msg.swarm, w)) host.sendTo(w, closed);
  });

  host.onDisconnect((peer) => {
    for (const [swarm, room] of rooms) {
      room.watchers.delete(peer);
      if (room.members.delete(peer)) toWatchers(room, membersMessage(swarm, room));
    }
  });

  /** Forgets the oldest classroom that has no watcher and no member left. */
  function evictIfFull() {
    if (rooms.size < lim.maxClassrooms) return;
    const idle = [...rooms]
      .filter(([swarm, r]) => r.watchers.size === 0 && host.registry.size(swarm) === 0)
      .sort((a, b) => a[1].openedAt - b[1].openedAt);
    const victim = idle[0] ?? [...rooms].sort((a, b) => a[1].openedAt - b[1].openedAt)[0];
    if (victim) rooms.delete(victim[0]);
  }

  return {
    /** Number of swarms in classroom mode. */
    size: () => rooms.size,
    isOpen: (swarm: string) => rooms.has(swarm),
    watchers: (swarm: string) => rooms.get(swarm)?.watchers.size ?? 0,
  };
}
