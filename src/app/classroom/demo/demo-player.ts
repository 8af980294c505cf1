/**
 * Plays the projector's demo: rounds of the real engine in the simulator (src/worker/classroom-demo.ts),
 * one virtual second of stats per step, into the projector store as a live class's stats would
 * arrive. A P2P round, then client-server and P2P in turn with the same caps, each after a short
 * pause; a control from the demo's own controls starts its round at once. The pacing (step) comes
 * from the caller, so a test drives it without timers.
 */
import type { ClassroomControl } from '../../../protocol/classroom';
import type { DemoRoundRequest, DemoTick } from '../../../worker/classroom-demo';
import type { ProjectorEvent } from '../store';

const KiB = 1024;
/** The round a demo opens with. */
export const DEMO_FIRST_ROUND: ClassroomControl = {
  round: 1,
  mode: 'p2p',
  sharerUp: 256 * KiB,
  peerUp: 128 * KiB,
  peerDown: 0,
  perPeer: {},
};

/** Runs one demo round, reporting each virtual second; resolves with the distribution time (s). */
export type DemoSource = (request: DemoRoundRequest, onTick: (tick: DemoTick) => void) => Promise<number | null>;

export interface DemoPlayerOptions {
  source: DemoSource;
  /** Where the events go (the projector store's receive), with the demo's own clock in ms. */
  receive: (event: ProjectorEvent, now: number) => void;
  peers: number;
  sizeBytes: number;
  /** Steps to wait after a round's last tick before the next round. */
  pauseSteps?: number;
  /** Stops the current round's simulation (a new round replaces it). */
  cancel?: () => void;
  onError?: (error: Error) => void;
}

export class DemoPlayer {
  private control: ClassroomControl;
  private now = 0;
  private queue: DemoTick[] = [];
  private finished = false;
  private waited = 0;
  /** Ticks of an older round, still arriving from its simulation, are dropped. */
  private generation = 0;

  constructor(
    private readonly o: DemoPlayerOptions,
    first: ClassroomControl,
  ) {
    this.control = first;
  }

  /**
   * The demo's controls: "New round" (a higher round number) starts that round now; "Apply" (the
   * same round) keeps the caps for the next round, since a simulated round runs with one set of caps.
   */
  send(control: ClassroomControl): void {
    if (control.round > this.control.round) this.start(control);
    else this.control = { ...control, round: this.control.round, mode: this.control.mode };
  }

  /** Starts `control`'s round now (its round number and mode as given). */
  start(control: ClassroomControl): void {
    this.control = control;
    const generation = ++this.generation;
    this.o.cancel?.();
    this.queue = [];
    this.finished = false;
    this.waited = 0;
    this.o.receive({ type: 'classroom-control', control }, this.now);
    const request: DemoRoundRequest = {
      control,
      peers: this.o.peers,
      sizeBytes: this.o.sizeBytes,
      seed: 11 + control.round,
    };
    this.o
      .source(request, (tick) => generation === this.generation && this.queue.push(tick))
      .then(
        () => generation === this.generation && (this.finished = true),
        (error: unknown) => {
          if (generation !== this.generation) return;
          this.finished = true;
          this.o.onError?.(error instanceof Error ? error : new Error(String(error)));
        },
      );
  }

  /** One step of the demo's clock: the next second of the round, or the pause before the next round. */
  step(): void {
    const tick = this.queue.shift();
    // The demo's clock is the simulation's: it stands still while the simulation is behind, so the
    // projector times the round as simulated.
    if (tick || this.finished) this.now += 1000;
    if (tick) {
      for (const { from, stats } of tick.stats) this.o.receive({ type: 'classroom-stats', from, stats }, this.now);
      return;
    }
    if (!this.finished) return; // the simulation is behind: wait for it
    if (++this.waited < (this.o.pauseSteps ?? 4)) return;
    // Alternate client-server and P2P so the results table compares both.
    const round = this.control.round + 1;
    this.start({ ...this.control, round, mode: round % 2 === 0 ? 'cs' : 'p2p' });
  }
}
