/**
 * Tit-for-tat measured in the simulator (real engines, virtual time, seeded): free riders finish
 * after the contributors, and in a swarm of mixed upload rates completion time falls as upload
 * rate rises. These are the data of `npm run figure`'s completion-against-upload figure.
 */
import { describe, expect, it } from 'vitest';
import { CLASSROOM_DEFECT_AFTER_MS } from '../protocol/classroom';
import { BROWSER_ENGINE_CONFIG } from '../worker/session';
import { buildSpec, runScenarioDetailed } from './scenarios';
import { runSwarm } from './swarm';
import { lectureScenario } from './testing/scenario';

const KiB = 1024;
const MiB = KiB * KiB;
const small = lectureScenario(20, 4 * MiB, { chunkSize: 16 * KiB });

describe('incentives in the simulator', () => {
  it('free riders upload nothing and finish later; the report compares with the same swarm without them', async () => {
    const { report, peers } = await runScenarioDetailed({ ...small, scenario: 'freeriders', freeRiders: 0.2 });
    expect(report.outcome).toBe('done');
    expect(report.freeRiders).toBe(4);
    expect(peers.filter((p) => p.freeRider)).toHaveLength(4);
    const riders = peers.filter((p) => p.freeRider);
    // Control messages only (bitfield, 256 haves to each neighbor, interest): under 2 % of the file,
    // where every contributor uploads more than a quarter of it.
    expect(Math.max(...riders.map((p) => p.uploadedBytes))).toBeLessThan(0.02 * small.sizeBytes);
    expect(Math.min(...peers.filter((p) => !p.freeRider).map((p) => p.uploadedBytes))).toBeGreaterThan(
      0.25 * small.sizeBytes,
    );
    // u_i = 0 for a free rider in the bound: N F / (u_s + 16 u).
    expect(report.boundP2PSeconds).toBeCloseTo((20 * 4 * 1024) / (1024 + 16 * 512), 2);
    expect(report.freeRidersMedianSeconds!).toBeGreaterThan(report.contributorsMedianSeconds!);
    expect(report.baselineMedianSeconds!).toBeLessThan(report.contributorsMedianSeconds!);
    expect(report.contributorsMedianSeconds! / report.baselineMedianSeconds!).toBeLessThan(1.15);
  }, 60_000);

  it('issue swarm (N = 50, 16 MiB, 20 % free riders): free riders >= 1.3x the contributors, contributors <= 1.1x the baseline', async () => {
    // The command of docs/ENGINE.md's figures: npm run sim -- --scenario freeriders --free-riders 0.2
    // --peers 50 --size-mib 16 --up-kibps 512 --seed-up-kibps 1024 (64 KiB chunks at 16 MiB).
    const { report } = await runScenarioDetailed(
      lectureScenario(50, 16 * MiB, { chunkSize: 64 * KiB, scenario: 'freeriders', freeRiders: 0.2 }),
    );
    expect(report.outcome).toBe('done');
    expect(report.freeRidersMedianSeconds! / report.contributorsMedianSeconds!).toBeGreaterThanOrEqual(1.3);
    expect(report.contributorsMedianSeconds! / report.baselineMedianSeconds!).toBeLessThanOrEqual(1.1);
  }, 180_000);

  it('a class of six with the classroom window: every contributor judges both free riders early; no honest peer is judged', async () => {
    // The e2e classroom round (e2e/classroom-freeriders.spec.ts): 6 students, 2 free riders, 4 MiB.
    const { spec } = buildSpec(
      lectureScenario(6, 4 * MiB, {
        chunkSize: 16 * KiB,
        scenario: 'freeriders',
        freeRiders: 0.34,
        downBps: 1e9,
        engineConfig: { ...BROWSER_ENGINE_CONFIG, defectAfterMs: CLASSROOM_DEFECT_AFTER_MS },
      }),
    );
    const judged = new Map<string, number>(); // "judge>judged" -> first second seen
    const ids: string[] = [];
    const result = await runSwarm({
      ...spec,
      sampleEveryMs: 1000,
      probe: (tMs, downloaders) => {
        downloaders.forEach((e, i) => {
          if (!e) return;
          const snap = e.snapshot();
          ids[i] = snap.localPeerId;
          for (const n of snap.neighbors)
            if (n.defector && !judged.has(`${i}>${n.peerId}`)) judged.set(`${i}>${n.peerId}`, tMs / 1000);
        });
      },
    });
    expect(result.completedAtMs.every((t) => t !== null)).toBe(true);
    const riders = spec.peers.flatMap((p, i) => (p.freeRide ? [i] : []));
    const contributors = spec.peers.flatMap((p, i) => (p.freeRide ? [] : [i]));
    expect(riders).toHaveLength(2);
    const done = contributors.map((i) => result.completedAtMs[i]! / 1000);
    for (const c of contributors)
      for (const r of riders) {
        const at = judged.get(`${c}>${ids[r]}`);
        expect(at, `contributor ${c} judged free rider ${r}`).toBeDefined();
        expect(at!).toBeLessThan(Math.min(...done) / 2);
      }
    // Everyone judged is a free rider: no contributor, nor the sharer, by anyone.
    const riderIds = new Set(riders.map((i) => ids[i]));
    expect([...judged.keys()].filter((k) => !riderIds.has(k.split('>')[1]))).toEqual([]);
  }, 60_000);

  it('mixed upload rates: completion time falls as the upload rate rises (negative rank correlation)', async () => {
    const { report, peers } = await runScenarioDetailed({ ...small, scenario: 'mixed' });
    expect(report.outcome).toBe('done');
    expect(new Set(peers.map((p) => p.upBps)).size).toBeGreaterThan(2);
    expect(report.uploadRankCorrelation!).toBeLessThan(-0.2);
  }, 60_000);
});
