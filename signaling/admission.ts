/**
 * Who gets a socket, before any tracker logic runs: every admission limit in one place.
 * - TCP: `server.maxConnections` below the file descriptor limit (fd-limit.ts), a warning when
 *   sockets near it, and a per-address cap on sockets that are not WebSockets (HTTP requests,
 *   half-sent upgrades); Node's headersTimeout/requestTimeout close half-sent requests.
 * - Upgrade: the page's Origin (same as the Host, or configured), and the memory budget (503).
 * - WebSocket: per address, at most `maxConnectionsPerIp` that said hello plus at most
 *   `maxUnwelcomedPerIp` that have not (a newcomer replaces the oldest of those); `maxConnections`
 *   in total.
 * Each refusal is logged, at most once per REFUSAL_LOG_MS per reason and address with a count.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { TrackerLimits } from './config.ts';
import { connectionCaps, readFdLimit } from './fd-limit.ts';
import type { Log } from './hub.ts';

const REFUSAL_LOG_MS = 10_000;
/** Sockets at this share of `server.maxConnections` bring a warning (at most once per REFUSAL_LOG_MS). */
const NEAR_LIMIT = 0.9;

/** Per remote address: sockets in each state (the entry is removed when all are zero). */
interface AddressCount {
  /** TCP sockets that are not WebSockets: HTTP requests, keep-alive, upgrades in progress. */
  http: number;
  /** WebSockets that have not said hello yet. */
  waiting: number;
  /** WebSockets that have. */
  welcomed: number;
}

/** Marks a TCP socket with its address and whether it still counts as an HTTP socket. */
const kAddress = Symbol('admission.address');
const kHttp = Symbol('admission.http');
type Tracked = Socket & { [kAddress]?: string; [kHttp]?: boolean };

export class RefusalLog {
  private readonly last = new Map<string, { at: number; suppressed: number }>();
  constructor(
    private readonly log: Log,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Logs `message` under `key` now, or counts it until REFUSAL_LOG_MS after the last line logged. */
  note(key: string, message: string): void {
    const now = this.now();
    const entry = this.last.get(key);
    if (entry && now - entry.at < REFUSAL_LOG_MS) {
      entry.suppressed++;
      return;
    }
    if (this.last.size >= 10_000) this.last.clear(); // many addresses: forget, never grow unbounded
    const more = entry?.suppressed ? ` (and ${entry.suppressed} more like it since the last line)` : '';
    this.last.set(key, { at: now, suppressed: 0 });
    this.log('warn', `refused: ${message}${more}`);
  }
}

/** Why an upgrade is refused before the WebSocket handshake, as an HTTP status. */
export interface UpgradeRefusal {
  status: 403 | 503;
  reason: string;
}

export class Admission {
  private readonly perIp = new Map<string, AddressCount>();
  readonly refusals: RefusalLog;
  /** WebSockets open now (welcomed or not). */
  webSockets = 0;
  /** The WebSocket cap after fitting `maxConnections` under the descriptor limit. */
  readonly maxWebSockets: number;
  private sockets = 0;
  private readonly maxSockets: number | undefined;

  constructor(
    private readonly limits: TrackerLimits,
    log: Log,
    private readonly allowedOrigins: readonly string[] = [],
    fdLimit: number | undefined = readFdLimit(),
  ) {
    this.refusals = new RefusalLog(log);
    const caps = connectionCaps(fdLimit, limits.maxConnections);
    this.maxSockets = caps.sockets;
    this.maxWebSockets = caps.webSockets;
    // A warning when the limit costs real capacity (e.g. the common ulimit -n 1024); a few
    // hundred descriptors short of 20,000 is only worth an info line.
    if (caps.lowered)
      log(
        caps.webSockets < limits.maxConnections * 0.9 ? 'warn' : 'info',
        `the file descriptor limit (ulimit -n ${fdLimit}) allows ${caps.webSockets} WebSockets, not the configured ` +
          `${limits.maxConnections}: raise it (e.g. ulimit -n ${limits.maxConnections + 1024}) to accept more`,
      );
  }

  /** Remote addresses with at least one open socket. */
  get addresses(): number {
    return this.perIp.size;
  }

  /** Installs the TCP-level limits on `server` (before it listens). */
  attach(server: Server): void {
    server.headersTimeout = this.limits.headersTimeoutMs;
    server.requestTimeout = this.limits.requestTimeoutMs;
    if (this.maxSockets !== undefined) server.maxConnections = this.maxSockets;
    server.on('drop', (data?: { remoteAddress?: string }) =>
      this.refusals.note(
        'fd',
        `socket from ${data?.remoteAddress ?? '?'}: ${this.maxSockets} sockets open, the file descriptor limit`,
      ),
    );
    server.on('connection', (socket: Socket) => this.onSocket(socket));
  }

  private count(ip: string): AddressCount {
    let c = this.perIp.get(ip);
    if (!c) this.perIp.set(ip, (c = { http: 0, waiting: 0, welcomed: 0 }));
    return c;
  }

  private forgetIfEmpty(ip: string, c: AddressCount): void {
    if (c.http === 0 && c.waiting === 0 && c.welcomed === 0) this.perIp.delete(ip);
  }

  private onSocket(socket: Tracked): void {
    const ip = socket.remoteAddress ?? 'unknown';
    const c = this.count(ip);
    if (c.http >= this.limits.maxHttpSocketsPerIp) {
      this.forgetIfEmpty(ip, c);
      this.refusals.note(`http ${ip}`, `socket from ${ip}: ${c.http} HTTP sockets open from that address`);
      socket.destroy();
      return;
    }
    c.http++;
    this.sockets++;
    socket[kAddress] = ip;
    socket[kHttp] = true;
    socket.once('close', this.onSocketClose);
    if (this.maxSockets !== undefined && this.sockets >= this.maxSockets * NEAR_LIMIT)
      this.refusals.note(
        'near-fd',
        `nothing yet, but ${this.sockets} of ${this.maxSockets} sockets are open (file descriptor limit)`,
      );
  }

  private readonly onSocketClose = (() => {
    const manager = this;
    return function (this: Tracked) {
      manager.sockets--;
      if (!this[kHttp]) return;
      const ip = this[kAddress]!;
      const c = manager.count(ip);
      c.http--;
      manager.forgetIfEmpty(ip, c);
    };
  })();

  /** Checks an upgrade request before the handshake: the page's Origin and the memory budget. */
  checkUpgrade(req: IncomingMessage): UpgradeRefusal | undefined {
    const ip = req.socket.remoteAddress ?? 'unknown';
    const origin = req.headers.origin;
    if (origin !== undefined && !this.originAllowed(origin, req.headers.host)) {
      this.refusals.note(
        `origin ${ip}`,
        `WebSocket from ${ip}: origin ${JSON.stringify(origin.slice(0, 100))} not allowed`,
      );
      return { status: 403, reason: 'origin not allowed' };
    }
    const rss = process.memoryUsage.rss();
    if (rss > this.limits.memoryBudgetBytes) {
      this.refusals.note(
        'memory',
        `WebSocket from ${ip}: memory ${Math.round(rss / 2 ** 20)} MiB over the budget of ${Math.round(this.limits.memoryBudgetBytes / 2 ** 20)} MiB`,
      );
      return { status: 503, reason: 'tracker out of memory budget: try again later' };
    }
    return undefined;
  }

  /**
   * Browsers always send Origin on a WebSocket; it must be the page's own (same host and port as
   * the request's Host) or configured. No Origin: not a browser, so not a page driving a visitor's
   * browser against this tracker (other clients are held by the per-address limits).
   */
  private originAllowed(origin: string, host: string | undefined): boolean {
    if (this.allowedOrigins.includes(origin)) return true;
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      return false;
    }
    return (
      (url.protocol === 'http:' || url.protocol === 'https:') && host !== undefined && url.host === host.toLowerCase()
    );
  }

  /**
   * A WebSocket handshake completed on `socket` from `ip`. Refused (a close reason for 1013) when
   * the tracker is full or the address already has maxConnectionsPerIp that said hello. Otherwise
   * it counts as waiting for hello; `evict` is set when its address then has more than
   * maxUnwelcomedPerIp waiting: the caller closes the address's oldest waiting socket, so silent
   * sockets cannot keep a newcomer from the same address (a class behind one NAT) out.
   * A refused socket keeps counting as an HTTP socket until it is gone.
   */
  admitWebSocket(ip: string, socket: Duplex): { refused?: string; evict?: boolean } {
    const c = this.count(ip);
    if (this.webSockets >= this.maxWebSockets) {
      this.refusals.note('full', `WebSocket from ${ip}: ${this.webSockets} open, the limit`);
      return { refused: 'tracker full: try again later' };
    }
    if (c.welcomed >= this.limits.maxConnectionsPerIp) {
      this.refusals.note(`ws ${ip}`, `WebSocket from ${ip}: ${c.welcomed} open from that address`);
      return { refused: 'too many connections from your address' };
    }
    const tracked = socket as Tracked;
    if (tracked[kHttp]) {
      tracked[kHttp] = false;
      c.http--;
    }
    c.waiting++;
    this.webSockets++;
    if (c.waiting <= this.limits.maxUnwelcomedPerIp) return {};
    this.refusals.note(
      `unwelcomed ${ip}`,
      `WebSocket from ${ip}: the oldest of ${c.waiting - 1} that have not said hello closed for a newer one`,
    );
    return { evict: true };
  }

  /** An admitted WebSocket said hello. */
  welcomed(ip: string): void {
    const c = this.count(ip);
    c.waiting--;
    c.welcomed++;
  }

  /** An admitted WebSocket closed. */
  closed(ip: string, welcomed: boolean): void {
    const c = this.count(ip);
    if (welcomed) c.welcomed--;
    else c.waiting--;
    this.webSockets--;
    this.forgetIfEmpty(ip, c);
  }
}
