/** Scenarios for simulator tests: the defaults with the lecture's rates, sized per test. */
import { DEFAULT_SCENARIO, type ScenarioOptions } from '../scenarios';

const KiB = 1024;

/** The lecture's rates: every peer uploads 512 KiB/s, the sharer 1 MiB/s. */
export const LECTURE_RATES = { upBps: 512 * KiB, seedUpBps: 1024 * KiB };

/** `peers` downloaders of `sizeBytes` at the lecture's rates, the other settings DEFAULT_SCENARIO's. */
export function lectureScenario(
  peers: number,
  sizeBytes: number,
  over: Partial<ScenarioOptions> = {},
): ScenarioOptions {
  return { ...DEFAULT_SCENARIO, ...LECTURE_RATES, peers, sizeBytes, ...over };
}
