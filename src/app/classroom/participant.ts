/**
 * A peer's side of classroom mode, for the shares this page follows with a room key (the sharer's
 * own, or the one in the classroom link a student opened; an ordinary share link has none, and its
 * pages never apply a control). Join the room (`classroom-join`, again every 15 s until a control
 * comes), then publish stats about once a second and apply the teacher's settings: caps and mode on
 * the engine, and a higher round = download again. Every control is checked against the room key
 * (signature, growing sequence number) before anything is applied, whatever the tracker relayed.
 * A complete download is never dropped for a new round without the user's yes (`acceptRound`).
 * No I/O of its own: the tracker link, the worker calls and the clock are injected.
 */
import {
  CLASSROOM_DEFECT_AFTER_MS,
  type ClassroomControl,
  type ClassroomServerMessage,
  type PeerStats,
} from '../../protocol/classroom';
import { withDoneTime } from '../../protocol/classroom-layout';
import { verifyControl } from '../../protocol/classroom-signing';

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
  /** Made a free rider by the teacher: the engine unchokes nobody. */
  freeRide?: boolean;
  /** The engine's defector window in the round (CLASSROOM_DEFECT_AFTER_MS); omitted: its default. */
  defectAfterMs?: number;
  /** A new round starts (the sharer's engine, kept across rounds, forgets its judgements). */
  newRound?: boolean;
}

export interface ParticipantDeps {
  link: ClassroomLink;
  /**
   * The share's stats, or null before its metadata is known; `completedAt`: when its engine
   * completed, on this participant's clock (`now`).
   */
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
  ): Promise<(PeerStats & { complete?: boolean; completedAt?: number }) | null>;
  apply(swarm: string, settings: AppliedSettings): Promise<void>;
  /** Drops the share's chunks and downloads it again, with `settings` on the new engine from its start. */
  restart(swarm: string, settings: AppliedSettings | undefined): Promise<void>;
  now(): number;
  /** Whether a swarm is in classroom mode, or its offered round, changed (the page shows both). */
  changed?(swarm: string): void;
}

export const STATS_INTERVAL_MS = 1000;
export const PROBE_INTERVAL_MS = 15_000;
/** A join refused because the swarm's announce had not arrived yet is asked again after this long. */
export const JOIN_RETRY_MS = 2000;

interface Tracked {
  role: 's' | 'p';
  /** The room's public key: only controls signed with it are applied. */
  key: string;
  /** Sequence number of the last control applied (replays and older ones are ignored). */
  seq: number;
  /** A new round the user was asked about (the download here is complete). */
  offeredRound: number | undefined;
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
  // The sharer judges too: by whether what it gave spread (src/engine/pass-on.ts).
  if (role === 's')
    return { mode: control.mode, up: control.sharerUp, down: 0, defectAfterMs: CLASSROOM_DEFECT_AFTER_MS };
  const own = (peerId && control.perPeer[peerId]) || {};
  return {
    mode: control.mode,
    up: own.up ?? control.peerUp,
    down: own.down ?? control.peerDown,
    freeRide: own.free === true,
    defectAfterMs: CLASSROOM_DEFECT_AFTER_MS,
  };
}

export class ClassroomParticipant {
  private readonly swarms = new Map<string, Tracked>();
  private readonly unsubscribe: () => void;

  constructor(private readonly d: ParticipantDeps) {
    this.unsubscribe = d.link.onClassroomMessage((m) => void this.onMessage(m));
  }

  /** Starts following `swarm`'s classroom with room key `key` (call when the page joins it). */
  track(swarm: string, role: 's' | 'p', key: string): void {
    if (this.swarms.get(swarm)?.key === key) return;
    this.swarms.set(swarm, {
      role,
      key,
      seq: 0,
      offeredRound: undefined,
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

  /** The new round the user is asked to download again for, if any (its download here is complete). */
  offeredRound(swarm: string): number | undefined {
    return this.swarms.get(swarm)?.offeredRound;
  }

  /** The user's answer to `offeredRound`: yes drops the file and downloads again; no keeps it. */
  async answerRound(swarm: string, downloadAgain: boolean): Promise<void> {
    const s = this.swarms.get(swarm);
    if (!s || s.offeredRound === undefined || !s.control) return;
    const round = s.offeredRound;
    s.offeredRound = undefined;
    if (downloadAgain) await this.startRound(swarm, s, round);
  }

  /** Call about every second: sends due stats (and probes swarms not known to be in classroom mode). */
  async tick(): Promise<void> {
    const now = this.d.now();
    await Promise.all(
      [...this.swarms].map(async ([swarm, s]) => {
        const due = s.active ? STATS_INTERVAL_MS * 0.9 : PROBE_INTERVAL_MS;
        if (s.busy || s.switching || now - s.lastSent < due) return;
        if (!s.active) {
          // Not (yet) in the room: ask for its control (the sharer opens the room instead).
          s.lastSent = now;
          if (s.role === 'p') this.d.link.send({ type: 'classroom-join', swarm, key: s.key });
          return;
        }
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
          const { complete, completedAt, ...reported } = collected;
          let stats: PeerStats = reported;
          if (s.role === 'p' && s.doneMs === undefined && complete) {
            // The moment the engine had its last chunk, not this tick (up to a second later);
            // never before this round started here, nor after now.
            const at =
              completedAt !== undefined && completedAt >= s.roundStart && completedAt <= now ? completedAt : now;
            s.doneMs = at - s.roundStart;
            stats = withDoneTime(stats, s.doneMs);
          }
          s.lastSent = now;
          this.d.link.send({ type: 'classroom-stats', swarm, key: s.key, stats });
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
    // Joined before the page's announce reached the tracker: ask again soon, not in 15 s.
    if (m.type === 'classroom-error' && m.code === 'not-member' && !s.active) {
      s.lastSent = Math.min(s.lastSent, this.d.now() - PROBE_INTERVAL_MS + JOIN_RETRY_MS);
      return;
    }
    if (m.type !== 'classroom-control' || m.key !== s.key) return;
    const body = verifyControl(s.key, m.swarm, m);
    if (!body || body.seq <= s.seq) return; // forged, malformed, replayed or older: nothing changes
    s.seq = body.seq;
    if (body.closed) {
      // Back to a normal share: no caps, BitTorrent.
      const wasActive = s.active;
      s.active = false;
      s.control = null;
      s.offeredRound = undefined;
      s.lastSent = this.d.now();
      this.d.changed?.(m.swarm);
      if (wasActive) await this.d.apply(m.swarm, { mode: 'p2p', up: 0, down: 0 });
      return;
    }
    const { seq: _seq, closed: _closed, ...control } = body;
    const first = !s.active;
    s.active = true;
    s.control = control;
    if (first) {
      s.lastSent = -Infinity; // start sending at the next tick
      this.d.changed?.(m.swarm);
    }
    if (control.round > s.round && s.role === 'p') {
      // Out of the new round until it is in it: no uploads. A complete peer still seeding would add
      // upload the round's bound does not count, and D could come out below it.
      const sitOut = { ...settingsFor(control, s.role, this.d.link.peerId), freeRide: true };
      const [, now] = await Promise.all([
        this.d.apply(m.swarm, sitOut),
        // A complete download is dropped only when the user says so.
        this.d.collect(m.swarm, {
          role: s.role,
          round: s.round,
          mode: control.mode,
          capUp: 0,
          capDown: 0,
          elapsedMs: 0,
        }),
      ]);
      if (!now?.complete) return this.startRound(m.swarm, s, control.round);
      s.offeredRound = control.round;
      this.d.changed?.(m.swarm); // asked at once, not at the page's next look
      return;
    }
    const newRound = control.round > s.round;
    if (newRound) {
      s.round = control.round;
      s.roundStart = this.d.now();
    }
    const settings = settingsFor(control, s.role, this.d.link.peerId);
    await this.d.apply(m.swarm, newRound ? { ...settings, newRound } : settings);
  }

  /** Drops this share's chunks and downloads it again in `round`, under the control in force. */
  private async startRound(swarm: string, s: Tracked, round: number): Promise<void> {
    if (round <= s.round) return;
    s.round = round;
    s.doneMs = undefined;
    s.switching = true;
    const control = s.control;
    try {
      // The new engine gets the caps as it is made: no byte of the round moves uncapped.
      await this.d.restart(swarm, control ? settingsFor(control, s.role, this.d.link.peerId) : undefined);
    } finally {
      s.roundStart = this.d.now();
      s.switching = false;
    }
    // A control that came meanwhile went to the old engine: the new one gets it now.
    if (s.control && s.control !== control)
      await this.d.apply(swarm, settingsFor(s.control, s.role, this.d.link.peerId));
  }
}
