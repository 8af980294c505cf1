/**
 * Starts classroom mode in a page: the participant over the page's own tracker connection (the
 * one its swarms are announced on) and the engine worker; the sharer's "classroom mode on" flag,
 * re-sent to the tracker until it answers (after a reload or a tracker restart too).
 */
import { classroomServerSchema, type ClassroomServerMessage } from '../../protocol/classroom';
import { Listeners } from '../../protocol/listeners';
import type { Runtime } from '../runtime';
import { useAppStore } from '../state/store';
import type { TrackerClient } from '../tracker-client';
import { ClassroomParticipant, type ClassroomLink } from './participant';
import { ensureSecret, loadSecret, secretHash } from './secret';

const ON_KEY = (swarm: string) => `swarmdrop.classroom.on.${swarm}`;
const SERVER_TYPES = [
  'classroom-stats',
  'classroom-members',
  'classroom-control',
  'classroom-closed',
  'classroom-error',
] as const;
const OPEN_RETRY_MS = 2000;

let participant: ClassroomParticipant | null = null;
let sendOpen: ((swarm: string) => void) | null = null;
let sendClose: ((swarm: string) => void) | null = null;

/** Whether this browser turned classroom mode on for `swarm` (it is the sharer). */
export function isClassroomOn(swarm: string): boolean {
  return localStorage.getItem(ON_KEY(swarm)) === '1' && loadSecret(swarm) !== null;
}

/** The sharer's toggle: on creates the secret (once) and tells the tracker. */
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

/** True once the tracker confirmed classroom mode for a swarm this page takes part in. */
export function isClassroomActive(swarm: string): boolean {
  return participant?.isActive(swarm) ?? false;
}

export function startClassroom(runtime: Runtime, tracker: TrackerClient): () => void {
  const listeners = new Listeners<ClassroomServerMessage>();
  const offs = SERVER_TYPES.map((type) =>
    tracker.onExtension(type, (raw) => {
      const parsed = classroomServerSchema.safeParse(raw);
      if (!parsed.success) return console.warn('classroom: ignored a malformed', type);
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
    collect: (swarmId, ctx) => runtime.workerPort.call('classroomStats', { swarmId, ctx }),
    apply: async (swarmId, s) => void (await runtime.workerPort.call('classroomApply', { swarmId, ...s })),
    restart: async (swarmId) => {
      await runtime.workerPort.call('classroomRestart', { swarmId });
      runtime.rejoin(swarmId);
    },
    now: () => performance.now(),
  });
  participant = p;

  const lastOpen = new Map<string, number>();
  sendOpen = (swarm) => {
    const secret = loadSecret(swarm);
    if (!secret) return;
    lastOpen.set(swarm, performance.now());
    tracker.sendExtension({ type: 'classroom-open', swarm, secretHash: secretHash(secret) });
  };
  sendClose = (swarm) => {
    const secret = loadSecret(swarm);
    if (secret) tracker.sendExtension({ type: 'classroom-close', swarm, secret });
  };
  // After a reconnect the tracker may have forgotten us: open again until a control confirms it.
  const offWelcome = tracker.onWelcome(() => lastOpen.clear());
  const offControl = link.onClassroomMessage((m) => {
    if (m.type === 'classroom-control') lastOpen.set(m.swarm, Infinity);
  });

  const follow = (shares: ReturnType<typeof useAppStore.getState>['shares']) => {
    for (const s of shares.values()) p.track(s.swarmId, s.role === 'seed' ? 's' : 'p');
  };
  follow(useAppStore.getState().shares);
  const offStore = useAppStore.subscribe((s, prev) => s.shares !== prev.shares && follow(s.shares));

  const timer = setInterval(() => {
    const now = performance.now();
    for (const s of useAppStore.getState().shares.values()) {
      if (s.role === 'seed' && isClassroomOn(s.swarmId) && now - (lastOpen.get(s.swarmId) ?? -Infinity) > OPEN_RETRY_MS)
        sendOpen?.(s.swarmId);
    }
    p.tick().catch((err) => console.warn('classroom stats:', err));
  }, 1000);

  return () => {
    clearInterval(timer);
    for (const off of [...offs, offWelcome, offControl, offStore]) off();
    p.close();
    participant = null;
    sendOpen = null;
    sendClose = null;
  };
}
