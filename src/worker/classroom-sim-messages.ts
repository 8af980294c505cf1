/** Messages between the what-if page or the projector demo and their simulator worker (classroom-sim.worker.ts). */
import type { DemoRoundRequest, DemoTick } from './classroom-demo';

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
  /**
   * The page's file is this many times `sizeBytes` (its times are the simulated ones times this):
   * the engine's defector rule judges that many times faster (classroom-whatif.ts). Default 1.
   */
  timeScale?: number;
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

/** Page -> worker: play one round of the projector's demo (classroom-demo.ts). */
export interface DemoRequest {
  id: number;
  kind: 'demo';
  round: DemoRoundRequest;
}

/** Worker -> page: each virtual second of a demo round as it is simulated, then its end (or an error). */
export type DemoResponse =
  | { id: number; kind: 'demo-tick'; tick: DemoTick }
  | { id: number; kind: 'demo-done'; seconds: number | null }
  | { id: number; kind: 'demo-error'; error: string };
