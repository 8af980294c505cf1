/**
 * `startTracker(options)`: the whole service on one port: the WebSocket tracker on /tracker,
 * /healthz, /config.json and (optionally) the built SPA. Tests start it on port 0.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TRACKER_CLOSE, TRACKER_PATH, type PeerId } from '../src/protocol/tracker.ts';
import { Admission } from './admission.ts';
import { systemClock, type TrackerClock } from './clock.ts';
import { DEFAULT_LIMITS, type TrackerLimits } from './config.ts';
import { ConnectionManager } from './connections.ts';
import { readFdLimit } from './fd-limit.ts';
import type {
  HandlerOptions,
  MessageHandler,
  OutgoingMessage,
  SwarmChange,
  TrackerExtensionHost,
  TrackerPlugin,
} from './extensions.ts';
import { httpRoutes, type IceServersSource } from './http-routes.ts';
import { TrackerHub, type Log } from './hub.ts';
import { fileFrameRecorder } from './frame-recorder.ts';
import type { SwarmBackplane } from './backplane.ts';
import { MemorySwarmRegistry, type SwarmRegistry } from './registry.ts';
import { securityHeaders } from './security-headers.ts';
import { serveStatic } from './static.ts';
import type { z } from 'zod';

export interface TrackerOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1; main.ts passes 0.0.0.0 so LAN devices can connect. */
  host?: string;
  /** Any limit not given keeps its default (signaling/config.ts). */
  limits?: Partial<TrackerLimits>;
  /** Served at /config.json (a function builds the list per request). */
  iceServers?: IceServersSource;
  /** Directory of the built SPA; omitted or null serves no static files. */
  staticRoot?: string | null;
  /** Swarm membership store; in-memory by default. */
  registry?: SwarmRegistry;
  /**
   * Shared membership and relay across instances (signaling/redis-backplane.ts); none by default.
   * Given this instance's own memberships, to write them again after the shared store recovers.
   */
  backplane?: (localMembers: () => Iterable<readonly [string, PeerId]>) => Promise<SwarmBackplane>;
  /** Where warnings go; default console.warn/error, info is quiet. */
  log?: Log;
  /** Extensions to install before listening (main.ts passes signaling/plugins.ts). */
  plugins?: TrackerPlugin[];
  /** Page origins allowed to open a WebSocket besides the tracker's own (admission.ts). */
  allowedOrigins?: string[];
  /** The file descriptor limit to size connections by; default: this process's (fd-limit.ts). */
  fdLimit?: number;
  /** Time for the ping and hello sweeps and the rate limits; tests pass a virtual clock. */
  clock?: TrackerClock;
  /** Appends every frame and HTTP request to this file (frame-recorder.ts); tests and audits only. */
  recordFramesTo?: string;
}

/** Counters for /healthz and for tests that check nothing leaks. */
export interface TrackerStats {
  /** Open tracker connections. */
  clients: number;
  /** Non-empty swarms. */
  swarms: number;
  /** Remote addresses with at least one open socket (HTTP or WebSocket). */
  addresses: number;
  /** Connections that have not said hello yet. */
  awaitingHello: number;
  /** Signal contacts remembered for `peer-gone` notices, all sessions together. */
  contacts: number;
}

export interface Tracker extends TrackerExtensionHost {
  readonly port: number;
  /** http://HOST:PORT (127.0.0.1 when bound to 0.0.0.0). */
  readonly httpUrl: string;
  /** ws://HOST:PORT/tracker */
  readonly wsUrl: string;
  readonly server: Server;
  readonly limits: TrackerLimits;
  stats(): TrackerStats;
  /** Closes every socket with `code` (default 1001 going away) and stops listening. */
  close(code?: number): Promise<void>;
}

const defaultLog: Log = (level, message) => {
  if (level === 'error') console.error(message);
  else if (level === 'warn') console.warn(message);
};

export async function startTracker(options: TrackerOptions = {}): Promise<Tracker> {
  const limits: TrackerLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const log = options.log ?? defaultLog;
  const registry = options.registry ?? new MemorySwarmRegistry();
  const clock = options.clock ?? systemClock;
  let hub: TrackerHub | undefined;
  const backplane = await options.backplane?.(() => hub?.memberships() ?? []);
  hub = new TrackerHub(registry, limits, log, backplane, () => clock.now());
  const recorder = options.recordFramesTo ? fileFrameRecorder(options.recordFramesTo) : undefined;
  hub.recorder = recorder;
  const statics = options.staticRoot ? serveStatic(options.staticRoot) : null;

  let connections: ConnectionManager | undefined;
  const admission = new Admission(limits, log, options.allowedOrigins, options.fdLimit ?? readFdLimit());
  const stats = (): TrackerStats => ({
    clients: hub.sessions.size,
    swarms: registry.swarmCount(),
    addresses: admission.addresses,
    awaitingHello: connections?.awaitingHello.size ?? 0,
    contacts: hub.contactCount(),
  });
  const accepting = () => backplane?.available ?? true;
  const routes = httpRoutes({ stats, accepting }, options.iceServers ?? [], statics);
  // Node checks headersTimeout/requestTimeout only every connectionsCheckingInterval (30 s by
  // default): half-sent requests would outlive their deadline by that much.
  const checkMs = Math.max(100, Math.min(1000, limits.headersTimeoutMs / 2));
  const server = createServer({ connectionsCheckingInterval: checkMs }, (req, res) => {
    recorder?.request(req);
    try {
      for (const [name, value] of Object.entries(securityHeaders(req.headers.host))) res.setHeader(name, value);
      routes(req, res);
    } catch (err) {
      log('error', `http ${req.url}: ${String(err)}`);
      if (!res.headersSent) res.writeHead(500).end();
    }
  });
  server.on('clientError', (_err, socket) => socket.destroy());
  if (recorder) server.prependListener('upgrade', (req) => recorder.request(req));
  admission.attach(server);
  connections = new ConnectionManager(hub, server, admission, log, clock);
  for (const plugin of options.plugins ?? []) plugin(hub);

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // After listening, errors such as EMFILE on accept (more sockets than `ulimit -n`) are logged:
  // an unhandled 'error' event would take the whole tracker down.
  server.on('error', (err) => log('error', `http server: ${err.message}`));
  const port = (server.address() as AddressInfo).port;
  const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;

  let closing: Promise<void> | undefined;
  const manager = connections;
  return {
    port,
    httpUrl: `http://${shown}:${port}`,
    wsUrl: `ws://${shown}:${port}${TRACKER_PATH}`,
    server,
    limits,
    registry,
    stats,
    registerHandler: <T extends { type: string }>(
      type: string,
      schema: z.ZodType<T>,
      handler: MessageHandler<T>,
      opts?: HandlerOptions,
    ) => hub.registerHandler(type, schema, handler, opts),
    onDisconnect: (cb: (peer: PeerId) => void) => hub.onDisconnect(cb),
    onSwarmChange: (cb: (change: SwarmChange) => void) => hub.onSwarmChange(cb),
    sendTo: (peer: PeerId, message: OutgoingMessage) => hub.sendTo(peer, message),
    close(code: number = TRACKER_CLOSE.goingAway) {
      closing ??= (async () => {
        await manager.closeAll(code, 'tracker shutting down');
        await backplane?.close();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await recorder?.close();
      })();
      return closing;
    },
  };
}
