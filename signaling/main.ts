/**
 * Entry point: `npm start` / `npm run serve`. One port serves the SPA (dist/), the tracker
 * WebSocket (/tracker), /healthz and /config.json. Configuration: flags or environment, see
 * docs/TRACKER.md (`--help` lists them). SIGTERM/SIGINT close every socket with 1001, exit 0.
 */
import { fileURLToPath } from 'node:url';
import { ConfigError, DEFAULT_LIMITS, envName, flagName, loadConfig, type TrackerLimits } from './config.ts';
import { iceServersFor } from './ice-servers.ts';
import { reachableUrls } from './lan.ts';
import { plugins } from './plugins.ts';
import { RedisBackplane } from './redis-backplane.ts';
import type { Log } from './hub.ts';
import { startStunServer, type StunServer } from './stun-server.ts';
import { startTracker } from './tracker.ts';

function usage(): string {
  const lines = [
    'Usage: tsx signaling/main.ts [--port N] [--host H] [--ice-servers JSON] [--redis-url URL] [--allowed-origins LIST] [limits]',
    '  --allowed-origins / ALLOWED_ORIGINS: page origins allowed to open a WebSocket besides the',
    "  tracker's own, comma-separated (e.g. https://swarm.example.org)",
    '  [--stun-port N (default: the HTTP port number, 0 = off)] [--stun-public-url stun:HOST:PORT]',
    '  [--turn-urls turn:HOST:PORT,... --turn-secret S [--turn-ttl SECONDS (3600)]]  (env: STUN_PORT, ...)',
    '  [--record-frames FILE]  (TRACKER_RECORD_FRAMES) append every frame and HTTP request to FILE:',
    '  tests and audits only, off by default',
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
  const iceConfig = config;
  let stun: StunServer | undefined;
  const tracker = await startTracker({
    port: config.port,
    host: config.host,
    limits: config.limits,
    allowedOrigins: config.allowedOrigins,
    // Per request: the built-in STUN at the host the page was loaded from, fresh TURN credentials.
    iceServers: (req) =>
      iceServersFor(req.headers.host, {
        stunPort: stun?.port,
        stunPublicUrl: iceConfig.stunPublicUrl,
        turn: iceConfig.turn,
        iceServers: iceConfig.iceServers,
      }),
    ...(config.redisUrl ? { backplane: redisBackplane(config.redisUrl) } : {}),
    ...(config.recordFrames ? { recordFramesTo: config.recordFrames } : {}),
    staticRoot: fileURLToPath(new URL('../dist', import.meta.url)),
    plugins,
  });
  const stunPort = config.stunPort ?? tracker.port;
  if (stunPort !== 0) {
    try {
      stun = await startStunServer({ port: stunPort, host: config.host });
      console.log(`STUN server on UDP port ${stun.port}`);
    } catch (err) {
      // Without it a LAN class still connects where mDNS works; say so instead of refusing to start.
      console.warn(`swarmdrop: no STUN server (UDP port ${stunPort}: ${(err as Error).message}); set --stun-port`);
    }
  }
  console.log(`Swarmdrop is running (tracker at ${tracker.wsUrl.replace(/^ws:\/\/[^/]+/, '')}). Open:`);
  for (const url of reachableUrls(config.host, tracker.port)) console.log(`  ${url}`);

  const shutdown = (signal: string) => {
    console.log(`${signal}: closing every connection (1001) and exiting`);
    void stun?.close();
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
