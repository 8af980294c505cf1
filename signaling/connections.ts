/**
 * Accepting WebSockets on /tracker: connection limits (per IP, total), server-assigned peer ids,
 * wiring each socket's events to the hub, and liveness (ping/pong, hello timeout) with two
 * process-wide timers instead of timers per socket.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { TRACKER_CLOSE, TRACKER_PATH } from '../src/protocol/tracker.ts';
import { every, type TrackerClock } from './clock.ts';
import type { Log, TrackerHub } from './hub.ts';
import { Session } from './session.ts';
import { receiverReuse, releaseLastMessage } from './ws-receiver.ts';

/** How often the ping sweep runs: each run pings its share of one interval's round (pingSweep). */
const PING_TICK_MS = 50;

/** The session of each accepted socket (weak: nothing to clean up). */
const sessions = new WeakMap<WebSocket, Session>();

function destroyOnError(this: Duplex): void {
  this.destroy();
}

function onPong(this: WebSocket): void {
  const session = sessions.get(this);
  if (session) session.alive = true;
}

export class ConnectionManager {
  readonly wss: WebSocketServer;
  /** Open sockets per remote address (entries removed at zero, so it cannot grow). */
  readonly perIp = new Map<string, number>();
  /** Sessions that have not said hello yet, checked by the hello sweep. */
  readonly awaitingHello = new Set<Session>();
  private readonly stopTimers: (() => void)[] = [];
  /** The ping round under way: a live iterator over the sessions (later arrivals join it). */
  private pingRound: Iterator<Session> | undefined;
  private pingsPerTick = 0;
  private nextPingRoundAt = 0;

  constructor(
    private readonly hub: TrackerHub,
    httpServer: Server,
    private readonly log: Log,
    private readonly clock: TrackerClock,
  ) {
    const { limits } = hub;
    // maxPayload makes ws close an oversized frame with 1009 before it is buffered whole.
    // skipUTF8Validation: a text frame is decoded once anyway (Buffer#toString, bad bytes become
    // U+FFFD) and then validated as JSON; what is relayed is re-serialised, so always valid UTF-8
    // (docs/TRACKER.md). ws's own check would be a second pass over every frame.
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: limits.maxMessageBytes,
      perMessageDeflate: false,
      skipUTF8Validation: true,
    });
    httpServer.on('upgrade', (req, socket, head) => this.upgrade(req, socket, head));
    this.stopTimers.push(every(clock, Math.min(PING_TICK_MS, limits.pingIntervalMs), () => this.pingSweep()));
    this.stopTimers.push(every(clock, Math.max(50, limits.helloTimeoutMs / 2), () => this.helloSweep()));
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    // A reset during the handshake must not crash us. A shared function, not a closure: a closure
    // here would keep this scope, and so the whole upgrade request, alive as long as the socket.
    socket.on('error', destroyOnError);
    if ((req.url ?? '').split('?')[0] !== TRACKER_PATH) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const ip = req.socket.remoteAddress ?? 'unknown';
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, ip, socket));
  }

  private accept(ws: WebSocket, ip: string, socket: Duplex): void {
    const { limits } = this.hub;
    ws.on('error', this.onError); // e.g. a frame over maxPayload: ws closes it with 1009
    // Refused with a close code and a reason the client can read, rather than an opaque HTTP error.
    const fromIp = this.perIp.get(ip) ?? 0;
    if (this.hub.backplane && !this.hub.backplane.available) {
      ws.close(TRACKER_CLOSE.tryAgainLater, 'tracker storage unavailable: try again later');
      return;
    }
    if (this.hub.sessions.size >= limits.maxConnections) {
      ws.close(TRACKER_CLOSE.tryAgainLater, 'tracker full: try again later');
      return;
    }
    if (fromIp >= limits.maxConnectionsPerIp) {
      ws.close(TRACKER_CLOSE.tryAgainLater, 'too many connections from your address');
      return;
    }
    this.perIp.set(ip, fromIp + 1);
    const session = new Session(ws, this.hub.newPeerId(), ip, this.hub.bucket.fresh(), socket);
    session.wsFragments = receiverReuse(ws);
    sessions.set(ws, session);
    this.hub.add(session);
    this.awaitingHello.add(session);
    // Shared listener functions (`this` is the socket), not closures per socket: memory per idle
    // connection is a benchmark goal.
    ws.on('message', this.onMessage);
    ws.on('pong', onPong);
    ws.once('close', this.onClose);
  }

  private readonly onMessage = (() => {
    const manager = this;
    return function (this: WebSocket, data: RawData, isBinary: boolean) {
      const session = sessions.get(this)!;
      const welcomed = session.welcomed;
      manager.hub.handleFrame(session, data, isBinary);
      if (session.wsFragments) releaseLastMessage(this, session.wsFragments);
      if (!welcomed && session.welcomed) manager.awaitingHello.delete(session); // once, not per frame
    };
  })();

  private readonly onError = (() => {
    const manager = this;
    return function (this: WebSocket, err: Error) {
      manager.log('warn', `socket from ${sessions.get(this)?.ip ?? 'a refused client'}: ${err.message}`);
    };
  })();

  private readonly onClose = (() => {
    const manager = this;
    return function (this: WebSocket) {
      manager.closed(sessions.get(this)!);
    };
  })();

  private closed(session: Session): void {
    this.awaitingHello.delete(session);
    const left = (this.perIp.get(session.ip) ?? 1) - 1;
    if (left > 0) this.perIp.set(session.ip, left);
    else this.perIp.delete(session.ip);
    this.hub.remove(session);
  }

  /**
   * One round per ping interval visits every session once: one that did not answer the previous
   * ping (nor sent anything since) is dead, so gone within two intervals; the others are pinged.
   * A round is spread over the interval's ticks (20,000 sessions: ~70 pings per 50 ms tick), since
   * pinging them all at once would hold up every relay behind it (a few ms per thousand pings).
   */
  private pingSweep(): void {
    if (!this.pingRound) {
      const now = this.clock.now();
      if (now < this.nextPingRoundAt) return;
      const interval = this.hub.limits.pingIntervalMs;
      this.nextPingRoundAt = now + interval;
      this.pingRound = this.hub.sessions.values();
      this.pingsPerTick = Math.ceil(this.hub.sessions.size / Math.max(1, Math.floor(interval / PING_TICK_MS)));
    }
    for (let i = 0; i < this.pingsPerTick; i++) {
      const next = this.pingRound.next();
      if (next.done) {
        this.pingRound = undefined;
        return;
      }
      const session = next.value;
      if (!session.alive) {
        session.ws.terminate();
        continue;
      }
      session.alive = false;
      session.ws.ping();
    }
  }

  private helloSweep(): void {
    const deadline = this.clock.now() - this.hub.limits.helloTimeoutMs;
    for (const session of this.awaitingHello) {
      if (session.openedAt > deadline) continue;
      this.awaitingHello.delete(session);
      this.hub.closeSession(session, TRACKER_CLOSE.policy, 'no hello in time');
    }
  }

  /** Closes every socket with `code` and waits until all are gone (or `timeoutMs` passed). */
  async closeAll(code: number, reason: string, timeoutMs = 2000): Promise<void> {
    for (const stop of this.stopTimers) stop();
    const done = new Promise<void>((resolve) => this.wss.close(() => resolve()));
    for (const ws of this.wss.clients) ws.close(code, reason);
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, timeoutMs).unref());
    await Promise.race([Promise.all([...this.wss.clients].map((ws) => closedPromise(ws))), timeout]);
    for (const ws of this.wss.clients) ws.terminate();
    await done;
  }
}

function closedPromise(ws: WebSocket): Promise<void> {
  return ws.readyState === ws.CLOSED ? Promise.resolve() : new Promise((resolve) => ws.once('close', () => resolve()));
}
