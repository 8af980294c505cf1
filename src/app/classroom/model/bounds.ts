/**
 * The lecture's two lower bounds on the distribution time, in seconds (F in bytes, rates in bytes/s):
 *   D_cs  >= max{ NF/u_s, F/d_min }
 *   D_P2P >= max{ F/u_s, F/d_min, NF/(u_s + sum u_i) }
 * d_min is the minimum download rate (the lecture note misprints it as max).
 * TEMPORARY: the `sim` branch owns src/sim/bounds.ts (boundCS, boundP2P); this file becomes a
 * re-export of it once that branch is merged, so the formulas live in one place.
 */
export interface BoundInputs {
  N: number;
  F: number;
  us: number;
  /** Sum of the peers' upload rates. */
  uSum: number;
  /** Slowest download rate; Infinity when unknown / uncapped. */
  dmin: number;
}

export function boundCS({ N, F, us, dmin }: BoundInputs): number {
  return Math.max((N * F) / us, F / dmin);
}

export function boundP2P({ N, F, us, uSum, dmin }: BoundInputs): number {
  return Math.max(F / us, F / dmin, (N * F) / (us + uSum));
}
