/**
 * Tracker configuration: safe defaults, overridable from the environment (TRACKER_* / PORT / HOST
 * / ICE_SERVERS) and from command-line flags (which win). Every value is checked; a bad value
 * stops the start with a message naming it, instead of running with a surprise.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';

/** Every limit the tracker enforces. All are per process. */
export interface TrackerLimits {
  /** Largest WebSocket frame accepted; bigger closes the socket with 1009. */
  maxMessageBytes: number;
  /** Largest `signal` frame (its SDP/ICE payload plus a few fields); bigger gets `too-large`. */
  maxSignalBytes: number;
  /** Token bucket per connection: sustained messages per second... */
  messagesPerSec: number;
  /** ...and burst size. */
  messageBurst: number;
  /** Messages refused as `rate-limited` in a row before the socket is closed with 1008. */
  rateStrikes: number;
  /** Swarms one connection may be in at once. */
  maxSwarmsPerConnection: number;
  /** Default and cap of the `peers` list length. */
  maxPeersPerAnnounce: number;
  /** Open WebSockets per remote IP address (the bench raises this: all its clients are on 127.0.0.1). */
  maxConnectionsPerIp: number;
  /** Open WebSockets in total. */
  maxConnections: number;
  /** Peers tracked per swarm per connection for `peer-gone` notices (bounds memory). */
  maxContactsPerSwarm: number;
  /** Bytes queued towards one client before it counts as not reading and is disconnected. */
  maxBufferedBytes: number;
  /** Ping interval; a socket silent for two intervals is dropped (~30 s with the default). */
  pingIntervalMs: number;
  /** A connection that has not said `hello` after this long is closed with 1008. */
  helloTimeoutMs: number;
}

/** An RTCIceServer as the browser wants it in /config.json. */
export interface IceServer {
  urls: string | string[];
  username?: string;
  credential?: string;
}

export const DEFAULT_LIMITS: TrackerLimits = {
  maxMessageBytes: 64 * 1024,
  maxSignalBytes: 32 * 1024,
  messagesPerSec: 50,
  messageBurst: 200,
  rateStrikes: 50,
  maxSwarmsPerConnection: 32,
  maxPeersPerAnnounce: 30,
  maxConnectionsPerIp: 64,
  maxConnections: 20_000,
  maxContactsPerSwarm: 256,
  maxBufferedBytes: 1024 * 1024,
  pingIntervalMs: 15_000,
  helloTimeoutMs: 10_000,
};

export interface ServerConfig {
  port: number;
  host: string;
  iceServers: IceServer[];
  limits: TrackerLimits;
  /** Set: membership and relays shared with other instances through this Redis (docs/DEPLOY.md). */
  redisUrl?: string;
}

const iceServerSchema = z.object({
  urls: z.union([z.string(), z.array(z.string())]),
  username: z.string().optional(),
  credential: z.string().optional(),
});
const iceServersSchema = z.array(iceServerSchema);
const positiveInt = z.coerce.number().int().positive();

/** Limit name -> environment variable, e.g. maxConnectionsPerIp -> TRACKER_MAX_CONNECTIONS_PER_IP. */
export function envName(limit: keyof TrackerLimits): string {
  return 'TRACKER_' + limit.replace(/[A-Z]/g, (c) => '_' + c).toUpperCase();
}

/** Limit name -> flag, e.g. maxConnectionsPerIp -> --max-connections-per-ip. */
export function flagName(limit: keyof TrackerLimits): string {
  return limit.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());
}

/** Thrown for a configuration value that makes no sense; main.ts prints it and exits 2. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

function check<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (!result.success)
    throw new ConfigError(`${what}: ${result.error.issues[0]!.message} (got ${JSON.stringify(value)})`);
  return result.data;
}

/** Builds the configuration from flags (`argv`, without node and script) and `env`. */
export function loadConfig(argv: string[], env: Record<string, string | undefined>): ServerConfig {
  const limitKeys = Object.keys(DEFAULT_LIMITS) as (keyof TrackerLimits)[];
  const options: Record<string, { type: 'string' }> = {
    port: { type: 'string' },
    host: { type: 'string' },
    'ice-servers': { type: 'string' },
    'redis-url': { type: 'string' },
  };
  for (const key of limitKeys) options[flagName(key)] = { type: 'string' };
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values;
  } catch (err) {
    throw new ConfigError((err as Error).message);
  }
  const pick = (flag: string, envKey: string) => (values[flag] as string | undefined) ?? env[envKey];

  const port = check(z.coerce.number().int().min(0).max(65535), pick('port', 'PORT') ?? 8080, 'port');
  const host = pick('host', 'HOST') ?? '0.0.0.0';
  const limits = { ...DEFAULT_LIMITS };
  for (const key of limitKeys) {
    const raw = pick(flagName(key), envName(key));
    if (raw !== undefined) limits[key] = check(positiveInt, raw, `--${flagName(key)} / ${envName(key)}`);
  }
  if (limits.maxSignalBytes > limits.maxMessageBytes) limits.maxSignalBytes = limits.maxMessageBytes;

  let iceServers: IceServer[] = [];
  const ice = pick('ice-servers', 'ICE_SERVERS');
  if (ice !== undefined && ice !== '') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(ice);
    } catch {
      throw new ConfigError(`--ice-servers / ICE_SERVERS: not JSON (expected e.g. [{"urls":"stun:stun.example.org"}])`);
    }
    iceServers = check(iceServersSchema, parsed, '--ice-servers / ICE_SERVERS');
  }
  const redisUrl = pick('redis-url', 'REDIS_URL') || undefined;
  if (redisUrl !== undefined && !/^rediss?:\/\/[^\s]+$/.test(redisUrl))
    throw new ConfigError(`--redis-url / REDIS_URL: expected redis://host:port (got ${JSON.stringify(redisUrl)})`);
  return { port, host, iceServers, limits, ...(redisUrl ? { redisUrl } : {}) };
}
