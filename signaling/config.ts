/**
 * Tracker configuration: safe defaults, overridable from the environment (TRACKER_* / PORT / HOST
 * / ICE_SERVERS / STUN_* / TURN_*) and from command-line flags (which win). Every value is checked; a bad value
 * stops the start with a message naming it, instead of running with a surprise.
 */
import { parseArgs } from 'node:util';
import { getHeapStatistics } from 'node:v8';
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
  /**
   * Of those, WebSockets that have not said `hello` yet: lower, so one student holding silent
   * sockets cannot take a whole class's share of an address they share behind NAT.
   */
  maxUnwelcomedPerIp: number;
  /** TCP sockets per remote address that are not WebSockets (yet): HTTP requests, half-sent upgrades. */
  maxHttpSocketsPerIp: number;
  /** Open WebSockets in total (lowered at start to fit the file descriptor limit, see admission.ts). */
  maxConnections: number;
  /** Time for a request's headers to arrive whole (half-sent requests are closed after it). */
  headersTimeoutMs: number;
  /** Time for a whole HTTP request. */
  requestTimeoutMs: number;
  /** WebSocket frames one message may be split into (browsers send one; 1-byte fragments pin memory). */
  maxFragments: number;
  /** Socket reads buffered towards one incomplete frame (a frame dribbled byte by byte: ~450 B each). */
  maxBufferedChunks: number;
  /** A message still incomplete after this long is cut (checked by the ping round, so up to one interval later). */
  messageTimeoutMs: number;
  /** Process RSS above which new connections are refused (HTTP 503); default: V8's heap limit. */
  memoryBudgetBytes: number;
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
  maxUnwelcomedPerIp: 16,
  maxHttpSocketsPerIp: 256,
  maxConnections: 20_000,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  maxFragments: 16,
  maxBufferedChunks: 64,
  messageTimeoutMs: 10_000,
  memoryBudgetBytes: getHeapStatistics().heap_size_limit,
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
  /** Page origins allowed to open a WebSocket besides the tracker's own (empty: same origin only). */
  allowedOrigins: string[];
  /** The built-in STUN server's UDP port: undefined = the HTTP port's number, 0 = off. */
  stunPort: number | undefined;
  /** `stun:host:port` to hand browsers instead of the one derived from the page's Host (reverse proxy). */
  stunPublicUrl: string | undefined;
  /** TURN with short-lived credentials (coturn `use-auth-secret`); undefined = none. */
  turn: { urls: string[]; secret: string; ttlSec: number } | undefined;
  /** Set: membership and relays shared with other instances through this Redis (docs/DEPLOY.md). */
  redisUrl?: string;
  /** Set: every frame and HTTP request is appended to this file (signaling/frame-recorder.ts; tests and audits). */
  recordFrames?: string;
}

const STUN_URL = /^stun:(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:\d{1,5})?$/i;
const TURN_URL = /^turns?:(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:\d{1,5})?(\?transport=(udp|tcp))?$/i;

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
  const flags = [
    ...['port', 'host', 'ice-servers', 'allowed-origins', 'stun-port', 'stun-public-url'],
    ...['turn-urls', 'turn-secret', 'turn-ttl', 'redis-url', 'record-frames'],
    ...limitKeys.map(flagName),
  ];
  const options = Object.fromEntries(flags.map((flag) => [flag, { type: 'string' as const }]));
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
  const portNumber = z.coerce.number().int().min(0).max(65535);
  const rawStunPort = pick('stun-port', 'STUN_PORT');
  const stunPort = rawStunPort === undefined ? undefined : check(portNumber, rawStunPort, '--stun-port / STUN_PORT');
  const stunPublicUrl = pick('stun-public-url', 'STUN_PUBLIC_URL') || undefined;
  if (stunPublicUrl !== undefined && !STUN_URL.test(stunPublicUrl))
    throw new ConfigError(
      `--stun-public-url / STUN_PUBLIC_URL: expected stun:HOST:PORT (got ${JSON.stringify(stunPublicUrl)})`,
    );

  const turnUrls = (pick('turn-urls', 'TURN_URLS') ?? '')
    .split(',')
    .map((u) => u.trim())
    .filter(Boolean);
  for (const url of turnUrls)
    if (!TURN_URL.test(url))
      throw new ConfigError(
        `--turn-urls / TURN_URLS: expected turn:HOST:PORT[?transport=udp|tcp] (got ${JSON.stringify(url)})`,
      );
  const turnSecret = pick('turn-secret', 'TURN_SECRET') || undefined;
  if (turnUrls.length > 0 !== (turnSecret !== undefined))
    throw new ConfigError("TURN_URLS and TURN_SECRET go together (the secret is coturn's static-auth-secret)");
  const ttlSec = check(positiveInt.max(7 * 24 * 3600), pick('turn-ttl', 'TURN_TTL') ?? 3600, '--turn-ttl / TURN_TTL');
  const turn = turnSecret !== undefined ? { urls: turnUrls, secret: turnSecret, ttlSec } : undefined;
  const redisUrl = pick('redis-url', 'REDIS_URL') || undefined;
  if (redisUrl !== undefined && !/^rediss?:\/\/[^\s]+$/.test(redisUrl))
    throw new ConfigError(`--redis-url / REDIS_URL: expected redis://host:port (got ${JSON.stringify(redisUrl)})`);
  const allowedOrigins = parseOrigins(pick('allowed-origins', 'ALLOWED_ORIGINS') ?? '');
  const recordFrames = pick('record-frames', 'TRACKER_RECORD_FRAMES') || undefined;
  return {
    port,
    host,
    iceServers,
    limits,
    stunPort,
    stunPublicUrl,
    turn,
    allowedOrigins,
    ...(redisUrl ? { redisUrl } : {}),
    ...(recordFrames ? { recordFrames } : {}),
  };
}

/** `https://a.example, http://b.example:8080` -> their normalised origins; anything else is refused. */
export function parseOrigins(list: string): string[] {
  const origins: string[] = [];
  for (const item of list.split(/[\s,]+/)) {
    if (item === '') continue;
    const url = URL.canParse(item) ? new URL(item) : undefined;
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.origin !== item.replace(/\/$/, ''))
      throw new ConfigError(
        `--allowed-origins / ALLOWED_ORIGINS: "${item}" is not an origin (e.g. https://swarm.example.org)`,
      );
    origins.push(url.origin);
  }
  return origins;
}
