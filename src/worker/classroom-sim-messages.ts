/** Messages between the what-if page and its simulator worker (classroom-sim.worker.ts). */

/** Page -> worker: simulate one swarm. Sizes in bytes, rates in bytes/s. */
export interface SimRequest {
  id: number;
  mode: 'p2p' | 'cs';
  peers: number;
  sizeBytes: number;
  seedUpBps: number;
  upBps: number;
  downBps: number;
  /** Fraction of the downloaders that free ride (upload nothing); 0 or absent: none. */
  freeRiders?: number;
}

/**
 * Worker -> page: the distribution time in seconds (null when the swarm did not finish), with free
 * riders also both groups' median download times; or an error.
 */
export type SimResponse =
  | {
      id: number;
      ok: true;
      seconds: number | null;
      contributorsSeconds?: number | null;
      freeRidersSeconds?: number | null;
    }
  | { id: number; ok: false; error: string };
