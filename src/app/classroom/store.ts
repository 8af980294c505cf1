/**
 * The projector's state: one zustand store that folds tracker messages (or recorded sample
 * messages) into peers, measured numbers, a completion series per round and the results table.
 * Components only read it; the watcher connection and the sample player call its actions.
 */
import { create } from 'zustand';
import type { ClassroomControl, PeerStats } from '../../protocol/classroom';
import { measure, type Measured, type PeerView } from './model/measured';
import { applyStats, pruneStale } from './model/peers';
import { resultOf, upsertResult, type RoundResult } from './model/results';

export type WatchStatus = 'connecting' | 'live' | 'offline' | 'sample' | 'closed';

/**
 * What the projector folds in: tracker messages after the watcher checked them (a control only
 * once its signature matched the room key), or the sample swarm's.
 */
export type ProjectorEvent =
  | { type: 'classroom-stats'; from: string; stats: PeerStats }
  | { type: 'classroom-members'; peers: string[]; sharer?: string }
  | { type: 'classroom-control'; control: ClassroomControl }
  | { type: 'classroom-closed' }
  | { type: 'classroom-error'; code: string; message: string };

/** One point of the completion chart: seconds into the round, peers complete, mean progress 0..1. */
export interface SeriesPoint {
  t: number;
  done: number;
  progress: number;
}

export interface ClassroomState {
  swarm: string | null;
  status: WatchStatus;
  peers: Map<string, PeerView>;
  /** Short names shown on the wall: S for the sharer, P1, P2… in order of first appearance. */
  labels: Map<string, string>;
  members: string[] | undefined;
  /** The sharer's peer id, as the tracker says (stats never decide who the sharer is). */
  sharer: string | undefined;
  control: ClassroomControl | null;
  measured: Measured;
  series: Map<number, SeriesPoint[]>;
  results: RoundResult[];
  lastError: string | null;
  reset(swarm: string, status: WatchStatus): void;
  setStatus(status: WatchStatus): void;
  receive(message: ProjectorEvent, now: number): void;
  /** Drops peers that went quiet; call about once a second. */
  tick(now: number): void;
}

const empty = () => measure([]);

/** A room not yet heard from: what a new projector starts with and `reset` returns to. */
const fresh = (): Omit<ClassroomState, 'swarm' | 'status' | 'reset' | 'setStatus' | 'receive' | 'tick'> => ({
  peers: new Map(),
  labels: new Map(),
  members: undefined,
  sharer: undefined,
  control: null,
  measured: empty(),
  series: new Map(),
  results: [],
  lastError: null,
});

export const useClassroom = create<ClassroomState>((set, get) => ({
  swarm: null,
  status: 'connecting',
  ...fresh(),
  reset(swarm, status) {
    set({ swarm, status, ...fresh() });
  },
  setStatus(status) {
    set({ status });
  },
  receive(message, now) {
    const s = get();
    switch (message.type) {
      case 'classroom-stats': {
        if (!fits(s, message.from, message.stats)) return; // contradicts the room or the tracker: ignored
        const peers = applyStats(s.peers, message.from, message.stats, now);
        const labels = s.labels.has(message.from) ? s.labels : withLabel(s.labels, message.from, message.stats.role);
        set({ peers, labels, ...derive(peers, s) });
        return;
      }
      case 'classroom-members': {
        const peers = pruneStale(s.peers, now, message.peers);
        set({ members: message.peers, sharer: message.sharer, peers, ...derive(peers, s) });
        return;
      }
      case 'classroom-control':
        set({ control: message.control, ...(s.status === 'closed' ? { status: 'live' as const } : {}) });
        return;
      case 'classroom-closed':
        set({ status: 'closed' });
        return;
      case 'classroom-error':
        set({ lastError: `${message.code}: ${message.message}` });
        return;
    }
  },
  tick(now) {
    const s = get();
    const peers = pruneStale(s.peers, now, s.members);
    if (peers.size !== s.peers.size) set({ peers, ...derive(peers, s) });
  },
}));

/**
 * Stats are believed only where they agree with what the projector knows from elsewhere: the
 * round and mode of the room's (signed) control, the sharer role from the tracker, and the file
 * size and chunk count the sharer reported. One forged message cannot rewrite the wall.
 */
function fits(s: ClassroomState, from: string, stats: PeerStats): boolean {
  if (!s.control || stats.r !== s.control.round || stats.m !== s.control.mode) return false;
  if ((stats.role === 's') !== (from === s.sharer)) return false;
  const sharer = s.sharer !== undefined ? s.peers.get(s.sharer) : undefined;
  return !sharer || from === s.sharer || (stats.n === sharer.chunks && stats.F === sharer.size);
}

function withLabel(labels: ReadonlyMap<string, string>, id: string, role: 's' | 'p'): Map<string, string> {
  const next = new Map(labels);
  const used = new Set(labels.values());
  if (role === 's' && !used.has('S')) next.set(id, 'S');
  else {
    let i = 1;
    while (used.has(`P${i}`)) i++;
    next.set(id, `P${i}`);
  }
  return next;
}

/** Recomputes the numbers, extends the round's series and records a finished round. */
function derive(peers: Map<string, PeerView>, s: ClassroomState) {
  const free = Object.entries(s.control?.perPeer ?? {}).filter(([, c]) => c.free === true);
  const measured = measure([...peers.values()], new Set(free.map(([id]) => id)));
  const series = extendSeries(s.series, measured, peers);
  const row = resultOf(measured, s.control);
  const results = row ? upsertResult(s.results, row) : s.results;
  return { measured, series, results };
}

function extendSeries(
  series: Map<number, SeriesPoint[]>,
  m: Measured,
  peers: Map<string, PeerView>,
): Map<number, SeriesPoint[]> {
  if (m.N === 0) return series;
  const points = series.get(m.round) ?? [];
  const last = points[points.length - 1];
  if (last && last.done === m.N) return series; // the round is over
  const downloaders = [...peers.values()].filter((p) => p.round === m.round && p.role === 'p');
  const progress = downloaders.reduce((a, p) => a + p.have.filter(Boolean).length / p.chunks, 0) / downloaders.length;
  const point = { t: m.elapsed, done: m.done, progress };
  const next = new Map(series);
  // Stats of one second arrive peer by peer: they update that second's point instead of adding one.
  next.set(m.round, last && m.elapsed < last.t + 0.25 ? [...points.slice(0, -1), point] : [...points, point]);
  return next;
}
