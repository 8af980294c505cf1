/**
 * `npm run sim -- --peers 100 --size-mib 64 --up-kibps 512 --seed-up-kibps 1024
 *    [--down-kibps N] [--mode p2p|cs] [--seed 1] [--latency-ms 25] [--scenario equal|mixed|arrivals|churn]`
 * Runs one simulated swarm of real engines and prints ONE JSON line (see src/sim/scenarios.ts).
 */
import { parseArgs } from 'node:util';
import {
  DEFAULT_SCENARIO,
  runScenario,
  SCENARIOS,
  type ScenarioName,
  type ScenarioOptions,
} from '../src/sim/scenarios';
import { DEFAULT_ENGINE_CONFIG } from '../src/engine/index';
import { BROWSER_ENGINE_CONFIG } from '../src/worker/session';
import { chooseChunkSize } from '../src/protocol/metadata';

const KiB = 1024;
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

const USAGE = `usage: npm run sim -- --peers N --size-mib F --up-kibps U --seed-up-kibps US
  [--down-kibps D] [--seed-down-kibps DS] [--mode p2p|cs] [--scenario ${SCENARIOS.join('|')}]
  [--seed S] [--latency-ms L] [--peer-list K] [--chunk-kib C (default: from the size, as the app)] [--block-kib B]
  [--arrival-seconds T] [--leave-fraction X] [--free-riders X (freeriders: fraction, default 0.2)]
  [--deadline-seconds T] [--verify]
  [--engine '{"superSeeding":true}']   (engine settings, JSON; see src/engine/config.ts)
  [--browser-config]   (the worker's engine settings, BROWSER_ENGINE_CONFIG in src/worker/session.ts,
                        under --engine; and every engine caps its upload at its host's rate, as bench:browser does)`;

function parseArgsStrict(argv: string[]) {
  return parseArgs({
    args: argv,
    strict: true,
    options: {
      peers: { type: 'string', default: '100' },
      'size-mib': { type: 'string', default: '64' },
      'up-kibps': { type: 'string', default: '512' },
      'seed-up-kibps': { type: 'string', default: '1024' },
      'down-kibps': { type: 'string' },
      'seed-down-kibps': { type: 'string' },
      mode: { type: 'string', default: 'p2p' },
      scenario: { type: 'string', default: 'equal' },
      seed: { type: 'string', default: '1' },
      'latency-ms': { type: 'string', default: String(DEFAULT_SCENARIO.latencyMs) },
      'peer-list': { type: 'string', default: String(DEFAULT_SCENARIO.peerListSize) },
      'chunk-kib': { type: 'string' },
      'block-kib': { type: 'string' },
      'arrival-seconds': { type: 'string' },
      'leave-fraction': { type: 'string' },
      'free-riders': { type: 'string' },
      'deadline-seconds': { type: 'string' },
      engine: { type: 'string' },
      verify: { type: 'boolean', default: false },
      'browser-config': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
}

export function parseSimArgs(argv: string[]): ScenarioOptions {
  let parsed;
  try {
    parsed = parseArgsStrict(argv);
  } catch (e) {
    throw new UsageError((e as Error).message.split('\n')[0]);
  }
  const { values } = parsed;
  if (values.help) throw new UsageError('');
  const num = (name: string, v: string | undefined): number | undefined => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (v.trim() === '' || !Number.isFinite(n) || n < 0)
      throw new UsageError(`--${name} must be a non-negative number, got "${v}"`);
    return n;
  };
  const mode = values.mode;
  if (mode !== 'p2p' && mode !== 'cs') throw new UsageError(`--mode must be p2p or cs, got "${mode}"`);
  const scenario = values.scenario as ScenarioName;
  if (!SCENARIOS.includes(scenario))
    throw new UsageError(`--scenario must be one of ${SCENARIOS.join(', ')}, got "${values.scenario}"`);
  const peers = num('peers', values.peers)!;
  if (!Number.isInteger(peers) || peers < 1) throw new UsageError('--peers must be an integer >= 1');
  const chunkKiB = num('chunk-kib', values['chunk-kib']);
  if (chunkKiB !== undefined && (!Number.isInteger(Math.log2(chunkKiB)) || chunkKiB < 16))
    throw new UsageError('--chunk-kib must be a power of two >= 16');
  const positive = (name: string, v: string | undefined) => {
    const n = num(name, v);
    if (n !== undefined && n <= 0) throw new UsageError(`--${name} must be positive`);
    return n;
  };
  const down = positive('down-kibps', values['down-kibps']);
  const seedDown = positive('seed-down-kibps', values['seed-down-kibps']);
  const block = positive('block-kib', values['block-kib']);
  let engineConfig: Record<string, unknown> | undefined;
  if (values.engine !== undefined) {
    try {
      engineConfig = JSON.parse(values.engine) as Record<string, unknown>;
    } catch {
      throw new UsageError('--engine must be a JSON object of engine settings');
    }
    if (typeof engineConfig !== 'object' || engineConfig === null || Array.isArray(engineConfig)) {
      throw new UsageError('--engine must be a JSON object of engine settings');
    }
    const unknown = Object.keys(engineConfig).filter((k) => !(k in DEFAULT_ENGINE_CONFIG));
    if (unknown.length > 0) throw new UsageError(`--engine: unknown engine setting ${unknown.join(', ')}`);
  }
  const sizeBytes = Math.round(positive('size-mib', values['size-mib'])! * KiB * KiB);
  const browser = values['browser-config'];
  if (browser) engineConfig = { ...BROWSER_ENGINE_CONFIG, ...engineConfig };
  return {
    ...DEFAULT_SCENARIO,
    scenario,
    mode,
    peers,
    sizeBytes,
    // As the app does: chosen from the file size unless given (src/protocol/metadata.ts).
    chunkSize: chunkKiB !== undefined ? chunkKiB * KiB : chooseChunkSize(sizeBytes),
    blockSize:
      block !== undefined ? Math.round(block * KiB) : browser ? (engineConfig!.blockSize as number) : undefined,
    upBps: positive('up-kibps', values['up-kibps'])! * KiB,
    seedUpBps: positive('seed-up-kibps', values['seed-up-kibps'])! * KiB,
    downBps: down === undefined ? undefined : down * KiB,
    seedDownBps: seedDown === undefined ? undefined : seedDown * KiB,
    latencyMs: num('latency-ms', values['latency-ms'])!,
    peerListSize: num('peer-list', values['peer-list'])!,
    seed: num('seed', values.seed)!,
    arrivalSeconds: num('arrival-seconds', values['arrival-seconds']),
    leaveFraction: num('leave-fraction', values['leave-fraction']),
    freeRiders: num('free-riders', values['free-riders']),
    deadlineSeconds: positive('deadline-seconds', values['deadline-seconds']),
    verifyBytes: values.verify,
    engineConfig,
    engineUploadCap: browser,
  };
}

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

async function main(): Promise<void> {
  let options: ScenarioOptions;
  try {
    options = parseSimArgs(process.argv.slice(2));
  } catch (e) {
    const msg = (e as Error).message;
    process.stderr.write(`${msg ? `sim: ${msg}\n` : ''}${USAGE}\n`);
    process.exit(2);
  }
  try {
    const report = await runScenario(options, () => performance.now(), cpuMs);
    process.stdout.write(`${JSON.stringify(report)}\n`);
  } catch (e) {
    // A bad engine setting or spec (EngineConfigError, RangeError): a clear message, not a stack.
    if (e instanceof RangeError || (e as Error).name === 'EngineConfigError') {
      process.stderr.write(`sim: ${(e as Error).message}\n`);
      process.exit(2);
    }
    throw e;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((e) => {
    process.stderr.write(`sim: ${(e as Error).stack ?? e}\n`);
    process.exit(1);
  });
}
