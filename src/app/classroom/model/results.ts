/**
 * The results table: one row per round (mode, N, F, caps, measured D, both bounds), and its CSV and
 * JSON exports. Rows are upserted by round number as the numbers settle.
 */
import type { ClassroomControl, ClassroomMode } from '../../../protocol/classroom';
import type { Measured } from './measured';

export interface RoundResult {
  round: number;
  mode: ClassroomMode;
  N: number;
  /** File size, bytes. */
  F: number;
  /** u_s, sum of u_i, d_min in bytes/s as used for the bounds (d_min null = no limit known). */
  us: number;
  uSum: number;
  dmin: number | null;
  /** The teacher's caps in force (bytes/s, 0 = none). */
  capSharerUp: number;
  capPeerUp: number;
  capPeerDown: number;
  /** Measured distribution time, seconds. */
  D: number;
  boundCS: number;
  boundP2P: number;
  /** How many downloaders were free riders, and both groups' median completion (s; null: none in the group). */
  freeRiders: number;
  contributorsMedian: number | null;
  freeRidersMedian: number | null;
}

/** A finished round's row, or null while the round is still running or lacks a number. */
export function resultOf(m: Measured, control: ClassroomControl | null): RoundResult | null {
  if (m.D === null || m.boundCS === null || m.boundP2P === null) return null;
  return {
    round: m.round,
    mode: m.mode,
    N: m.N,
    F: m.F,
    us: m.us,
    uSum: m.uSum,
    dmin: Number.isFinite(m.dmin) ? m.dmin : null,
    capSharerUp: control?.sharerUp ?? 0,
    capPeerUp: control?.peerUp ?? 0,
    capPeerDown: control?.peerDown ?? 0,
    D: m.D,
    boundCS: m.boundCS,
    boundP2P: m.boundP2P,
    freeRiders: m.freeRiders.length,
    contributorsMedian: m.contributorsMedian,
    freeRidersMedian: m.freeRidersMedian,
  };
}

/** Inserts or replaces the row of `row.round`, keeping rows sorted by round. */
export function upsertResult(rows: readonly RoundResult[], row: RoundResult): RoundResult[] {
  return [...rows.filter((r) => r.round !== row.round), row].sort((a, b) => a.round - b.round);
}

const COLUMNS: Array<[string, (r: RoundResult) => string | number]> = [
  ['round', (r) => r.round],
  ['mode', (r) => r.mode],
  ['N', (r) => r.N],
  ['F_bytes', (r) => r.F],
  ['u_s_bytes_per_s', (r) => Math.round(r.us)],
  ['sum_u_i_bytes_per_s', (r) => Math.round(r.uSum)],
  ['d_min_bytes_per_s', (r) => (r.dmin === null ? '' : Math.round(r.dmin))],
  ['cap_sharer_up', (r) => r.capSharerUp],
  ['cap_peer_up', (r) => r.capPeerUp],
  ['cap_peer_down', (r) => r.capPeerDown],
  ['measured_D_s', (r) => r.D.toFixed(2)],
  ['bound_cs_s', (r) => r.boundCS.toFixed(2)],
  ['bound_p2p_s', (r) => r.boundP2P.toFixed(2)],
  ['D_over_bound', (r) => (r.D / (r.mode === 'cs' ? r.boundCS : r.boundP2P)).toFixed(3)],
  ['free_riders', (r) => r.freeRiders ?? 0],
  ['contributors_median_s', (r) => r.contributorsMedian?.toFixed(2) ?? ''],
  ['free_riders_median_s', (r) => r.freeRidersMedian?.toFixed(2) ?? ''],
];

/** CSV with a header row; every field is a number or a fixed word, so no quoting is needed. */
export function resultsToCsv(rows: readonly RoundResult[]): string {
  const lines = [COLUMNS.map(([name]) => name).join(',')];
  for (const r of rows) lines.push(COLUMNS.map(([, get]) => String(get(r))).join(','));
  return lines.join('\n') + '\n';
}

/** JSON export: the rows plus what the units are, so the file explains itself. */
export function resultsToJson(rows: readonly RoundResult[], swarm: string, exportedAt: Date): string {
  return JSON.stringify(
    {
      swarmdrop: 'classroom-results',
      version: 1,
      swarm,
      exportedAt: exportedAt.toISOString(),
      units: { F: 'bytes', rates: 'bytes/s', times: 's' },
      formulas: {
        boundCS: 'max(N*F/u_s, F/d_min)',
        boundP2P: 'max(F/u_s, F/d_min, N*F/(u_s + sum u_i))',
      },
      rounds: rows,
    },
    null,
    2,
  );
}
