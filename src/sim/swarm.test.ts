import { describe, expect, it } from 'vitest';
import { DEFAULT_SCENARIO, runScenario, type ScenarioOptions } from './scenarios';
import { buildSpec } from './scenarios';
import { runSwarm } from './swarm';

const KiB = 1024;
const MiB = 1024 * KiB;

/** Small, fast swarms: 1 MiB in 64 KiB chunks, deterministic seeds, virtual time only. */
function small(over: Partial<ScenarioOptions>): ScenarioOptions {
  return {
    ...DEFAULT_SCENARIO,
    peers: 5,
    sizeBytes: MiB,
    chunkSize: 64 * KiB,
    upBps: 512 * KiB,
    seedUpBps: MiB,
    downBps: 4 * MiB,
    seed: 7,
    ...over,
  };
}

describe('simulated swarm of real engines', () => {
  it('one sharer and five downloaders finish with identical bytes', async () => {
    const { spec } = buildSpec(small({ verifyBytes: true }));
    const r = await runSwarm(spec);
    expect(r.outcome).toBe('done');
    expect(r.completed).toBe(5);
    expect(r.bytesIdentical).toBe(true);
    expect(r.peerErrors).toEqual([]);
    // Each distinct chunk is hashed a bounded number of times, not once per peer.
    expect(r.hashesComputed).toBeLessThanOrEqual(2 * 16 + 1);
  });

  it('client-server mode lands near its bound N F / u_s', async () => {
    const r = await runScenario(small({ mode: 'cs', peers: 6 }));
    expect(r.completed).toBe(6);
    expect(r.boundCSSeconds).toBeCloseTo(6, 6);
    expect(r.ratio!).toBeGreaterThanOrEqual(1);
    expect(r.ratio!).toBeLessThan(1.1);
  });

  it('P2P beats client-server with the same peers', async () => {
    const cs = await runScenario(small({ mode: 'cs', peers: 8 }));
    const p2p = await runScenario(small({ mode: 'p2p', peers: 8 }));
    expect(p2p.completed).toBe(8);
    expect(p2p.distributionSeconds!).toBeLessThan(0.6 * cs.distributionSeconds!);
    expect(p2p.ratio!).toBeGreaterThanOrEqual(1); // never below the lower bound
  });

  it('completes with peers arriving over time and with peers leaving', async () => {
    const arrivals = await runScenario(small({ scenario: 'arrivals', peers: 6, arrivalSeconds: 2 }));
    expect(arrivals.outcome).toBe('done');
    expect(arrivals.completed).toBe(6);
    const churn = await runScenario(small({ scenario: 'churn', peers: 10, leaveFraction: 0.3 }));
    expect(churn.outcome).toBe('done');
    expect(churn.completed).toBeGreaterThanOrEqual(churn.expected);
  });

  it('downloaders not linked to the sharer get the metadata and the file from other downloaders', async () => {
    const { spec } = buildSpec(small({ peers: 12, peerListSize: 2 }));
    const r = await runSwarm(spec);
    expect(r.outcome).toBe('done');
    expect(r.completed).toBe(12);
  });

  it('is deterministic for a seed', async () => {
    const a = await runScenario(small({ peers: 4 }));
    const b = await runScenario(small({ peers: 4 }));
    expect(a.distributionSeconds).toBe(b.distributionSeconds);
    expect(a.messages).toBe(b.messages);
  });
});

describe('the uplink queue cap (uplinkQueueBytes)', () => {
  /** Virtual time at which the first downloader holds its first chunk. */
  async function firstChunkMs(uplinkQueueBytes: number): Promise<number> {
    const { spec } = buildSpec(
      small({ peers: 5, seedUpBps: 256 * KiB, upBps: 16 * KiB, engineConfig: { uplinkQueueBytes, starterSlots: 2 } }),
    );
    let first = Infinity;
    spec.observe = (peer, event, tMs) => {
      if (peer >= 0 && event.type === 'chunk') first = Math.min(first, tMs);
    };
    spec.deadlineMs = 5_000;
    await runSwarm(spec);
    return first;
  }

  it('lets the sharer finish one chunk for one neighbor before the next, instead of all at once', async () => {
    // 64 KiB at 256 KiB/s: a quarter second alone, 1.25 s or more with the uplink split five ways
    // (plus the same handshake and metadata round trips, ~0.4 s, in both runs).
    const capped = await firstChunkMs(80 * KiB);
    const uncapped = await firstChunkMs(Infinity);
    expect(uncapped - capped).toBeGreaterThan(750);
  });
});

describe('engineUploadCap (the browser bench: uploads capped by the engine, not the link)', () => {
  it('a lone downloader takes F / u_s although the link is faster', async () => {
    // 1 MiB from a sharer whose engine caps its upload at 256 KiB/s: about 4 s; without the
    // engine's cap the 16 x faster link delivers it in about 1 s (0.25 s of bytes, the rest round trips).
    const opts = small({ peers: 1, seedUpBps: 256 * KiB, downBps: 64 * MiB });
    const capped = await runScenario({ ...opts, engineUploadCap: true });
    const uncapped = await runScenario({ ...opts, seedUpBps: 16 * 256 * KiB });
    expect(capped.distributionSeconds!).toBeGreaterThan(3.7); // the token bucket starts with a quarter second of burst
    expect(capped.distributionSeconds!).toBeLessThan(5);
    expect(uncapped.distributionSeconds!).toBeLessThan(2);
  });
});
