import { describe, expect, it } from 'vitest';
import { peerStats } from '../../../protocol/testing/peer-stats';
import { DEMO_SHARER_ID, runDemoRound, type DemoRoundRequest, type DemoTick } from '../../../worker/classroom-demo';
import { useClassroom, type ProjectorEvent } from '../store';
import { DEMO_FIRST_ROUND as FIRST, DemoPlayer } from './demo-player';

const KiB = 1024;

/** A source the test finishes by hand: each request's ticks and its end. */
function manualSource() {
  const runs: Array<{ request: DemoRoundRequest; tick(t: DemoTick): void; end(): void }> = [];
  const source = (request: DemoRoundRequest, onTick: (t: DemoTick) => void) =>
    new Promise<number | null>((resolve) => runs.push({ request, tick: onTick, end: () => resolve(1) }));
  return { runs, source };
}
const tick = (second: number): DemoTick => ({
  second,
  stats: [{ from: 'x', stats: peerStats({ el: second * 1000 }) }],
});
const flush = () => new Promise((r) => setTimeout(r, 0));

describe('the demo player', () => {
  it('plays one simulated second per step, waits for a slow simulation, pauses, then alternates the modes', async () => {
    const { runs, source } = manualSource();
    const seen: ProjectorEvent[] = [];
    let cancels = 0;
    const player = new DemoPlayer(
      { source, receive: (e) => seen.push(e), peers: 6, sizeBytes: 1024, pauseSteps: 2, cancel: () => cancels++ },
      FIRST,
    );
    player.start(FIRST);
    expect(runs[0]!.request).toMatchObject({ peers: 6, sizeBytes: 1024, seed: 12, control: FIRST });
    runs[0]!.tick(tick(1));
    runs[0]!.tick(tick(2));
    const stats = () => seen.filter((e) => e.type === 'classroom-stats').length;
    player.step();
    expect(stats()).toBe(1); // one second per step, not both at once
    player.step();
    player.step(); // the simulation is behind: nothing to show, and no new round either
    expect([stats(), runs.length]).toEqual([2, 1]);
    runs[0]!.end();
    await flush();
    player.step(); // the pause after the round
    expect(runs.length).toBe(1);
    player.step();
    expect(runs.map((r) => [r.request.control.round, r.request.control.mode])).toEqual([
      [1, 'p2p'],
      [2, 'cs'],
    ]);
    const controls = seen.filter((e) => e.type === 'classroom-control');
    expect(controls.at(-1)).toMatchObject({ control: { round: 2, mode: 'cs', sharerUp: 256 * KiB } });
    expect(cancels).toBe(2); // each start ends whatever simulation ran before
  });

  it('"New round" starts at once and drops the old round\'s late ticks; "Apply" keeps the caps for the next round', async () => {
    const { runs, source } = manualSource();
    const seen: ProjectorEvent[] = [];
    const player = new DemoPlayer(
      { source, receive: (e) => seen.push(e), peers: 3, sizeBytes: 1024, pauseSteps: 1 },
      FIRST,
    );
    player.start(FIRST);
    player.send({ ...FIRST, peerUp: 64 * KiB }); // Apply: same round
    expect(runs.length).toBe(1);
    player.send({ ...FIRST, round: 2, mode: 'p2p', peerUp: 32 * KiB }); // New round
    expect(runs.length).toBe(2);
    runs[0]!.tick(tick(1)); // late, from the replaced round
    player.step();
    expect(seen.filter((e) => e.type === 'classroom-stats')).toHaveLength(0);
    runs[1]!.end();
    await flush();
    player.step();
    expect(runs[2]!.request.control).toMatchObject({ round: 3, mode: 'p2p', peerUp: 32 * KiB });
  });

  it('drives the projector store from the engine: a P2P and a client-server round, both at or above their bounds', async () => {
    const store = useClassroom.getState();
    store.reset('demo', 'sample');
    useClassroom.setState({ sharer: DEMO_SHARER_ID });
    const pending: Array<Promise<unknown>> = [];
    const player = new DemoPlayer(
      {
        source: (r, onTick) => {
          const run = runDemoRound(r, onTick);
          pending.push(run);
          return run;
        },
        receive: (e, now) => useClassroom.getState().receive(e, now),
        peers: 6,
        sizeBytes: 1024 * KiB,
        pauseSteps: 1,
      },
      FIRST,
    );
    player.start(FIRST);
    for (let round = 1; round <= 2; round++) {
      await pending[round - 1];
      while (useClassroom.getState().control!.round === round) player.step();
    }
    const s = useClassroom.getState();
    expect(s.results.map((r) => [r.round, r.mode, r.N])).toEqual([
      [1, 'p2p', 6],
      [2, 'cs', 6],
    ]);
    const [p2p, cs] = s.results;
    expect(p2p!.D).toBeGreaterThanOrEqual(p2p!.boundP2P);
    expect(cs!.D).toBeGreaterThanOrEqual(cs!.boundCS);
    expect(cs!.D).toBeGreaterThan(p2p!.D);
    expect([...s.labels.values()].sort()).toEqual(['P1', 'P2', 'P3', 'P4', 'P5', 'P6', 'S']);
    expect(s.labels.get(DEMO_SHARER_ID)).toBe('S');
    expect(s.series.get(1)!.at(-1)!.done).toBe(6);
    console.log(
      `demo through the projector store, N=6, F=1 MiB: P2P D=${p2p!.D.toFixed(1)} s (bound ${p2p!.boundP2P.toFixed(1)} s), ` +
        `client-server D=${cs!.D.toFixed(1)} s (bound ${cs!.boundCS.toFixed(1)} s)`,
    );
  });
});
