/**
 * A peer's side of classroom mode, for every share this page takes part in: find out whether the
 * swarm is in classroom mode (the tracker says so with a `classroom-control`, or refuses a probe
 * with `not-classroom`), then publish stats about once a second and apply the teacher's settings:
 * caps and mode on the engine, and a higher round = drop this share's chunks and download again.
 * No I/O of its own: the tracker link, the worker calls and the clock are injected.
 */
import type { ClassroomControl, ClassroomServerMessage, PeerStats } from '../../protocol/classroom';
import { withDoneTime } from '../../protocol/classroom-layout';

/** The tracker connection the page announced its swarms on (membership is what lets it publish). */
export interface ClassroomLink {
  readonly peerId: string | null | undefined;
  send(message: { type: string; swarm: string } & Record<string, unknown>): void;
  /** Classroom messages from the tracker (already validated). Returns an unsubscribe. */
  onClassroomMessage(listener: (message: ClassroomServerMessage) => void): () => void;
}

/** What this peer applies: caps in bytes/s (0 = none) and the mode. */
export interface AppliedSettings {
  mode: ClassroomControl['mode'];
  up: number;
  down: number;
}

export interface ParticipantDeps {
  link: ClassroomLink;
  /** The share's stats, or null before its metadata is known. */
  collect(
    swarm: string,
    ctx: {
      role: 's' | 'p';
      round: number;
      mode: ClassroomControl['mode'];
      capUp: number;
      capDown: number;
      elapsedMs: number;
      doneMs?: number;
    },
  ): Promise<(PeerStats & { complete?: boolean }) | null>;
  apply(swarm: string, settings: AppliedSettings): Promise<void>;
  /** Drops the share's chunks and downloads it again. */
  restart(swarm: string): Promise<void>;
  now(): number;
}

export const STATS_INTERVAL_MS = 1000;
export const PROBE_INTERVAL_MS = 15_000;

interface Tracked {
  role: 's' | 'p';
  active: boolean;
  control: ClassroomControl | null;
  round: number;
  roundStart: number;
  doneMs?: number;
  lastSent: number;
  busy: boolean;
  /** A new round is being set up (chunks dropped, engine restarted): no stats meanwhile. */
  switching: boolean;
}

/** The caps one peer applies under `control`. */
export function settingsFor(
  control: ClassroomControl,
  role: 's' | 'p',
  peerId: string | null | undefined,
): AppliedSettings {
  if (role === 's') return { mode: control.mode, up: control.sharerUp, down: 0 };
  const own = (peerId && control.perPeer[peerId]) || {};
  return { mode: control.mode, up: own.up ?? control.peerUp, down: own.down ?? control.peerDown };
}

export class ClassroomParticipant {
  private readonly swarms = new Map<string, Tracked>();
  private readonly unsubscribe: () => void;

  constructor(private readonly d: ParticipantDeps) {
    this.unsubscribe = d.link.onClassroomMessage((m) => void this.onMessage(m));
  }

  /** Starts following `swarm` (call when the page joins it). */
  track(swarm: string, role: 's' | 'p'): void {
    if (this.swarms.has(swarm)) return;
    this.swarms.set(swarm, {
      role,
      active: false,
      control: null,
      round: 0,
      roundStart: this.d.now(),
      lastSent: -Infinity,
      busy: false,
      switching: false,
    });
  }

  untrack(swarm: string): void {
    this.swarms.delete(swarm);
  }

  isActive(swarm: string): boolean {
    return this.swarms.get(swarm)?.active ?? false;
  }

  /** Call about every second: sends due stats (and probes swarms not known to be in classroom mode). */
  async tick(): Promise<void> {
    const now = this.d.now();
    await Promise.all(
      [...this.swarms].map(async ([swarm, s]) => {
        const due = s.active ? STATS_INTERVAL_MS * 0.9 : PROBE_INTERVAL_MS;
        if (s.busy || s.switching || now - s.lastSent < due) return;
        s.busy = true;
        const round = s.round;
        try {
          const settings = s.control
            ? settingsFor(s.control, s.role, this.d.link.peerId)
            : { mode: 'p2p' as const, up: 0, down: 0 };
          const collected = await this.d.collect(swarm, {
            role: s.role,
            round: s.round,
            mode: settings.mode,
            capUp: settings.up,
            capDown: settings.down,
            elapsedMs: now - s.roundStart,
            doneMs: s.doneMs,
          });
          // The round changed while we were collecting: these numbers belong to the old one.
          if (!collected || s.round !== round || s.switching) return;
          const { complete, ...reported } = collected;
          let stats: PeerStats = reported;
          if (s.role === 'p' && s.doneMs === undefined && complete) {
            s.doneMs = now - s.roundStart;
            stats = withDoneTime(stats, s.doneMs);
          }
          s.lastSent = now;
          this.d.link.send({ type: 'classroom-stats', swarm, stats });
        } finally {
          s.busy = false;
        }
      }),
    );
  }

  close(): void {
    this.unsubscribe();
    this.swarms.clear();
  }

  private async onMessage(m: ClassroomServerMessage): Promise<void> {
    const s = this.swarms.get(m.swarm ?? '');
    if (!s) return;
    if (m.type === 'classroom-error' && m.code === 'not-classroom') {
      s.active = false;
      return;
    }
    if (m.type === 'classroom-closed') {
      // Back to a normal share: no caps, BitTorrent.
      const wasActive = s.active;
      s.active = false;
      s.control = null;
      s.lastSent = this.d.now();
      if (wasActive) await this.d.apply(m.swarm, { mode: 'p2p', up: 0, down: 0 });
      return;
    }
    if (m.type !== 'classroom-control') return;
    const first = !s.active;
    s.active = true;
    s.control = m.control;
    if (first) s.lastSent = -Infinity; // start sending at the next tick
    if (m.control.round > s.round) {
      s.round = m.control.round;
      s.doneMs = undefined;
      s.switching = true;
      try {
        // Restart before applying: the restarted download runs a new engine that must get the caps too.
        if (s.role === 'p') await this.d.restart(m.swarm);
      } finally {
        s.roundStart = this.d.now();
        s.switching = false;
      }
    }
    await this.d.apply(m.swarm, settingsFor(m.control, s.role, this.d.link.peerId));
  }
}
