/**
 * Starts classroom mode in a page: the participant over the page's own tracker connection (the
 * one its swarms are announced on) and the engine worker; the sharer's "classroom mode on" flag,
 * re-sent to the tracker as a signed open until it answers (after a reload or a tracker restart
 * too). Only shares with a room key are followed: the sharer's own, or a classroom link's.
 */
import { classroomServerSchema, type ClassroomControl, type ClassroomServerMessage } from '../../protocol/classroom';
import { parseControlBody, signControl, signProof } from '../../protocol/classroom-signing';
import { Listeners } from '../../protocol/listeners';
import type { Runtime } from '../runtime';
import { NB_RELAYED, type NeighborStats } from '../../protocol/classroom-layout';
import { linkKey } from '../net/swarm-connector';
import { perfMark } from '../perf-mark';
import { useAppStore } from '../state/store';
import type { TrackerClient } from '../tracker-client';
import { ClassroomParticipant, type ClassroomLink } from './participant';
import { ensureSecret, loadSecret, nextSeq, roomKeyFor } from './secret';

const ON_KEY = (swarm: string) => `swarmdrop.classroom.on.${swarm}`;
const SERVER_TYPES = [
  'classroom-opened',
  'classroom-stats',
  'classroom-members',
  'classroom-control',
  'classroom-error',
] as const;
const OPEN_RETRY_MS = 2000;
const NO_CAPS: ClassroomControl = { round: 0, mode: 'p2p', sharerUp: 0, peerUp: 0, peerDown: 0, perPeer: {} };

let participant: ClassroomParticipant | null = null;
/** Pages showing a swarm's classroom state (ClassroomToggle), told when it changes. */
const changes = new Listeners<string>();

/** Calls `listener(swarm)` when a swarm's classroom mode or offered round changes. Returns an unsubscribe. */
export function onClassroomChange(listener: (swarm: string) => void): () => void {
  return changes.add(listener);
}
let sendOpen: ((swarm: string) => void) | null = null;
let sendClose: ((swarm: string) => void) | null = null;

/** Whether this browser turned classroom mode on for `swarm` (it is the sharer). */
export function isClassroomOn(swarm: string): boolean {
  return localStorage.getItem(ON_KEY(swarm)) === '1' && loadSecret(swarm) !== null;
}

/** The sharer's toggle: on creates the secret key (once) and opens the room; off closes it (signed). */
export function setClassroomOn(swarm: string, on: boolean): void {
  if (on) {
    ensureSecret(swarm);
    localStorage.setItem(ON_KEY(swarm), '1');
    sendOpen?.(swarm);
  } else {
    localStorage.removeItem(ON_KEY(swarm));
    sendClose?.(swarm);
  }
}

/** True once a verified control put a swarm this page takes part in into classroom mode. */
export function isClassroomActive(swarm: string): boolean {
  return participant?.isActive(swarm) ?? false;
}

/** The new round this page's user is asked about (its download is complete), if any. */
export function offeredRound(swarm: string): number | undefined {
  return participant?.offeredRound(swarm);
}

export function answerRound(swarm: string, downloadAgain: boolean): void {
  perfMark('round-answer');
  participant?.answerRound(swarm, downloadAgain).catch((err) => console.warn('classroom round:', err));
}

export function startClassroom(runtime: Runtime, tracker: TrackerClient): () => void {
  const listeners = new Listeners<ClassroomServerMessage>();
  const offs = SERVER_TYPES.map((type) =>
    tracker.onExtension(type, (raw) => {
      const parsed = classroomServerSchema.safeParse(raw);
      if (!parsed.success) return console.warn('classroom: ignored a malformed', type);
      if (parsed.data.type === 'classroom-control') perfMark('classroom-control');
      listeners.emit(parsed.data);
    }),
  );
  const link: ClassroomLink = {
    get peerId() {
      return tracker.peerId;
    },
    send: (m) => void tracker.sendExtension(m),
    onClassroomMessage: (l) => listeners.add(l),
  };
  const p = new ClassroomParticipant({
    link,
    collect: async (swarmId, ctx) => {
      const stats = markRelayed(swarmId, await runtime.workerPort.call('classroomStats', { swarmId, ctx }));
      // The worker's completion time is in ms since the epoch (like timeOrigin): to this page's clock.
      if (stats?.completedAt !== undefined) stats.completedAt -= performance.timeOrigin;
      return stats;
    },
    apply: async (swarmId, s) => void (await runtime.workerPort.call('classroomApply', { swarmId, ...s })),
    restart: async (swarmId, settings) => {
      perfMark('round-restart');
      await runtime.workerPort.call('classroomRestart', { swarmId, ...(settings && { settings }) });
      runtime.renew(swarmId); // the neighbors stay: no new WebRTC connections in the round's time
      perfMark('round-restarted');
    },
    now: () => performance.now(),
    changed: (swarm) => changes.emit(swarm),
  });
  participant = p;

  /** The sharer's latest control per swarm (re-signed if the tracker restarted and lost it). */
  const lastControl = new Map<string, ClassroomControl>();
  const sendControl = (swarm: string, control: ClassroomControl, closed = false) => {
    const secret = loadSecret(swarm);
    if (!secret) return;
    const body = { ...control, seq: nextSeq(swarm), ...(closed ? { closed: true as const } : {}) };
    tracker.sendExtension({
      type: 'classroom-control',
      swarm,
      key: roomKeyFor(swarm)!,
      ...signControl(secret, swarm, body),
    });
  };
  const lastOpen = new Map<string, number>();
  sendOpen = (swarm) => {
    const secret = loadSecret(swarm);
    const peerId = tracker.peerId;
    if (!secret || !peerId) return;
    lastOpen.set(swarm, performance.now());
    const key = roomKeyFor(swarm)!;
    p.track(swarm, 's', key); // before the answer: the room's first control must find it followed
    tracker.sendExtension({ type: 'classroom-open', swarm, key, proof: signProof(secret, 'open', swarm, peerId) });
  };
  sendClose = (swarm) => sendControl(swarm, lastControl.get(swarm) ?? NO_CAPS, true);
  // After a reconnect the tracker may have forgotten us: open again until it confirms.
  const offWelcome = tracker.onWelcome(() => lastOpen.clear());
  const offOpened = link.onClassroomMessage((m) => {
    if (m.type === 'classroom-opened') {
      lastOpen.set(m.swarm, Infinity);
      if (!m.hasControl) sendControl(m.swarm, lastControl.get(m.swarm) ?? NO_CAPS);
    }
    if (m.type === 'classroom-control' && loadSecret(m.swarm)) {
      const body = parseControlBody(m.body);
      if (body && !body.closed) {
        const { seq: _seq, closed: _closed, ...control } = body;
        lastControl.set(m.swarm, control);
      }
    }
  });

  const follow = (shares: ReturnType<typeof useAppStore.getState>['shares']) => {
    for (const s of shares.values()) {
      const key = roomKeyFor(s.swarmId);
      if (key) p.track(s.swarmId, s.role === 'seed' ? 's' : 'p', key);
    }
  };
  follow(useAppStore.getState().shares);
  const offStore = useAppStore.subscribe((s, prev) => s.shares !== prev.shares && follow(s.shares));

  const timer = setInterval(() => {
    const now = performance.now();
    for (const s of useAppStore.getState().shares.values()) {
      if (s.role === 'seed' && isClassroomOn(s.swarmId)) {
        if (now - (lastOpen.get(s.swarmId) ?? -Infinity) > OPEN_RETRY_MS) sendOpen?.(s.swarmId);
        p.track(s.swarmId, 's', roomKeyFor(s.swarmId)!); // the toggle may have been ticked just now
      }
    }
    p.tick().catch((err) => console.warn('classroom stats:', err));
  }, 1000);

  return () => {
    clearInterval(timer);
    for (const off of [...offs, offWelcome, offOpened, offStore]) off();
    p.close();
    participant = null;
    sendOpen = null;
    sendClose = null;
  };
}

/** The worker can't see ICE: the page flags the neighbor links that go through a TURN relay. */
function markRelayed<T extends { nb: NeighborStats[] } | null>(swarmId: string, stats: T): T {
  const routes = useAppStore.getState().routes;
  for (const n of stats?.nb ?? []) if (routes.get(linkKey(swarmId, n[0]))?.route === 'relay') n[3] |= NB_RELAYED;
  return stats;
}
