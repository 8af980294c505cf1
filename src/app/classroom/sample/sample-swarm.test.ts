import { describe, expect, it } from 'vitest';
import { peerStatsSchema } from '../../../protocol/classroom';
import { useClassroom } from '../store';
import { createSampleSwarm, sampleDone } from './sample-swarm';

const base = {
  peers: 6,
  chunks: 16,
  chunkBytes: 262144,
  sharerUp: 262144,
  peerUp: 262144,
  peerDown: 0,
  round: 1,
  seed: 7,
};

function run(mode: 'p2p' | 'cs') {
  const step = createSampleSwarm({ ...base, mode });
  useClassroom.getState().reset('x', 'sample');
  useClassroom.setState({ sharer: 'sample-sharer' });
  const { sharerUp, peerUp, peerDown, round } = base;
  useClassroom
    .getState()
    .receive({ type: 'classroom-control', control: { round, mode, sharerUp, peerUp, peerDown, perPeer: {} } }, 0);
  for (let s = 1; s <= 400; s++) {
    const msgs = step();
    for (const m of msgs) {
      expect(peerStatsSchema.safeParse(m.stats).success).toBe(true);
      useClassroom.getState().receive(m, s * 1000);
    }
    if (sampleDone(msgs)) return useClassroom.getState();
  }
  throw new Error('sample swarm never finished');
}

describe('sample swarm through the projector store', () => {
  it('emits valid stats, finishes, and the measured D respects both bounds', () => {
    const p2p = run('p2p');
    const cs = run('cs');
    expect(p2p.results).toHaveLength(1);
    expect(cs.results).toHaveLength(1);
    const [rp, rc] = [p2p.results[0]!, cs.results[0]!];
    expect(rp.N).toBe(6);
    expect(rp.D).toBeGreaterThanOrEqual(rp.boundP2P);
    expect(rc.D).toBeGreaterThanOrEqual(rc.boundCS);
    expect(rc.D).toBeGreaterThan(rp.D);
    expect(p2p.labels.get('sample-sharer')).toBe('S');
    expect(new Set(p2p.labels.values()).size).toBe(7);
    expect(p2p.series.get(1)!.at(-1)!.done).toBe(6);
  });
});
