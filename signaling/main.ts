/**
 * Entry point: `npm start` / `npm run serve`. One port serves the SPA (dist/), the tracker
 * WebSocket (/tracker), /healthz and /config.json. Configuration: flags or environment, see
 * docs/TRACKER.md (`--help` lists them). SIGTERM/SIGINT close every socket with 1001, exit 0.
 */
import { fileURLToPath } from 'node:url';
import { ConfigError, DEFAULT_LIMITS, envName, flagName, loadConfig, type TrackerLimits } from './config.ts';
import { reachableUrls } from './lan.ts';
import { plugins } from './plugins.ts';
import { RedisBackplane } from './redis-backplane.ts';
import type { Log } from './hub.ts';
import { startTracker } from './tracker.ts';

function usage(): string {
  const lines = [
    'Usage: tsx signaling/main.ts [--port N] [--host H] [--ice-servers JSON] [--redis-url URL] [limits]',
    'Limits (flag / env, default):',
  ];
  for (const key of Object.keys(DEFAULT_LIMITS) as (keyof TrackerLimits)[]) {
    lines.push(`  --${flagName(key)} / ${envName(key)}  (${DEFAULT_LIMITS[key]})`);
  }
  return lines.join('\n');
}

const log: Log = (level, message) => (level === 'info' ? console.log : console.warn)(message);

function redisBackplane(url: string) {
  return (localMembers: () => Iterable<readonly [string, string]>) => RedisBackplane.start({ url, log, localMembers });
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help')) {
    console.log(usage());
    return;
  }
  let config;
  try {
    config = loadConfig(argv, process.env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(`swarmdrop: ${err.message}\n${usage()}`);
    process.exit(2);
  }
  const tracker = await startTracker({
    port: config.port,
    host: config.host,
    limits: config.limits,
    iceServers: config.iceServers,
    ...(config.redisUrl ? { backplane: redisBackplane(config.redisUrl) } : {}),
    staticRoot: fileURLToPath(new URL('../dist', import.meta.url)),
    plugins,
  });
  console.log(`Swarmdrop is running (tracker at ${tracker.wsUrl.replace(/^ws:\/\/[^/]+/, '')}). Open:`);
  for (const url of reachableUrls(config.host, tracker.port)) console.log(`  ${url}`);

  const shutdown = (signal: string) => {
    console.log(`${signal}: closing every connection (1001) and exiting`);
    tracker.close().then(
      () => process.exit(0),
      (err) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
