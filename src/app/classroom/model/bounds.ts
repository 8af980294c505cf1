/**
 * The lecture's two lower bounds, adapted to the classroom's named inputs. The formulas themselves
 * live in src/sim/bounds.ts (one place); see there for units and the d_min = MINIMUM note.
 */
import { boundCS as simBoundCS, boundP2P as simBoundP2P } from '../../../sim/bounds';

export interface BoundInputs {
  N: number;
  /** File size, bytes. */
  F: number;
  /** Sharer's upload rate, bytes/s. */
  us: number;
  /** Sum of the downloaders' upload rates. */
  uSum: number;
  /** Slowest download rate; Infinity when unknown / uncapped. */
  dmin: number;
}

/** D_cs >= max{ NF/u_s, F/d_min } in seconds. */
export function boundCS({ N, F, us, dmin }: BoundInputs): number {
  return simBoundCS(N, F, us, dmin);
}

/** D_P2P >= max{ F/u_s, F/d_min, NF/(u_s + sum u_i) } in seconds. */
export function boundP2P({ N, F, us, uSum, dmin }: BoundInputs): number {
  return simBoundP2P(N, F, us, dmin, uSum);
}
