/**
 * Accepting WebSockets on /tracker: asking admission.ts who may connect, server-assigned peer ids,
 * wiring each socket's events to the hub, and liveness: ping/pong and the hello timeout with two
 * process-wide timers instead of timers per socket, and the deadline of an incomplete message with
 * a timer that exists only while a socket has one.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { TRACKER_CLOSE, TRACKER_PATH } from '../src/protocol/tracker.ts';
import type { Admission } from './admission.ts';
import { every, type TrackerClock } from './clock.ts';
import type { Log, TrackerHub } from './hub.ts';
import { Session } from './session.ts';
import { hasPartialMessage, receiverReuse, releaseLastMessage } from './ws-receiver.ts';

/** How often the ping sweep runs: each run pings its share of one interval's round (pingSweep). */
const PING_TICK_MS = 50;

/** The session of each accepted socket, by its WebSocket and by its TCP socket (weak: nothing to clean up). */
const sessions = new WeakMap<WebSocket, Session>();
const bySocket = new WeakMap<Duplex, Session>();

function destroyOnError(this: Duplex): void {
  this.destroy();
}

function onPong(this: WebSocket): void {
  const session = sessions.get(this);
  if (session) session.alive = true;
}

export class ConnectionManager {
  readonly wss: WebSocketServer;
  /** Sessions that have not said hello yet, checked by the hello sweep. */
  readonly awaitingHello = new Set<Session>();
  /** The same sessions by remote address, oldest first (for evictOldestWaiting). */
  private readonly waitingByIp = new Map<string, Set<Session>>();
  private readonly stopTimers: (() => void)[] = [];
  /** The ping round under way: a live iterator over the sessions (later arrivals join it). */
  private pingRound: Iterator<Session> | undefined;
  private pingsPerTick = 0;
  private nextPingRoundAt = 0;

  constructor(
    private readonly hub: TrackerHub,
    httpServer: Server,
    private readonly admission: Admission,
    private readonly log: Log,
    private readonly clock: TrackerClock,
  ) {
    const { limits } = hub;
    // maxPayload makes ws close an oversized frame with 1009 before it is buffered whole.
    // skipUTF8Validation: a text frame is decoded once anyway (Buffer#toString, bad bytes become
    // U+FFFD) and then validated as JSON; what is relayed is re-serialised, so always valid UTF-8
    // (docs/TRACKER.md). ws's own check would be a second pass over every frame.
    // maxFragments and maxBufferedChunks bound what one incomplete message can pin (1-byte
    // fragments, a frame sent one byte per TCP segment): ws closes such a socket with 1008.
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: limits.maxMessageBytes,
      maxFragments: limits.maxFragments,
      maxBufferedChunks: limits.maxBufferedChunks,
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
    const refusal = this.admission.checkUpgrade(req);
    if (refusal) {
      const status = refusal.status === 403 ? '403 Forbidden' : '503 Service Unavailable';
      const body = refusal.reason + '\n';
      socket.end(
        `HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
        () => socket.destroy(),
      );
      return;
    }
    const ip = req.socket.remoteAddress ?? 'unknown';
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, ip, socket));
  }

  private accept(ws: WebSocket, ip: string, socket: Duplex): void {
    ws.on('error', this.onError); // e.g. a frame over maxPayload: ws closes it with 1009
    // Refused with a close code and a reason the client can read, rather than an opaque HTTP error.
    if (this.hub.backplane && !this.hub.backplane.available) {
      ws.close(TRACKER_CLOSE.tryAgainLater, 'tracker storage unavailable: try again later');
      return;
    }
    const admitted = this.admission.admitWebSocket(ip, socket);
    if (admitted.refused !== undefined) {
      ws.close(TRACKER_CLOSE.tryAgainLater, admitted.refused);
      return;
    }
    if (admitted.evict) this.evictOldestWaiting(ip);
    const session = new Session(ws, this.hub.newPeerId(), ip, this.hub.bucket.fresh(), socket);
    session.wsFragments = receiverReuse(ws);
    sessions.set(ws, session);
    bySocket.set(socket, session);
    this.hub.add(session);
    this.awaitingHello.add(session);
    let waiting = this.waitingByIp.get(ip);
    if (!waiting) this.waitingByIp.set(ip, (waiting = new Set()));
    waiting.add(session);
    // Shared listener functions (`this` is the socket), not closures per socket: memory per idle
    // connection is a benchmark goal.
    ws.on('message', this.onMessage);
    ws.on('pong', onPong);
    ws.once('close', this.onClose);
    // After ws's own 'data' listener (added by the upgrade): ws has parsed the chunk by then.
    socket.on('data', this.onData);
  }

  /**
   * Arms the incomplete-message deadline when a chunk leaves part of a message unread: the
   * socket is cut messageTimeoutMs after that first chunk, however the rest is dribbled, unless
   * the message completes first (onMessage disarms it). One timer per socket only while it has
   * an incomplete message: a whole frame in one chunk, the usual case, arms nothing.
   */
  private readonly onData = (() => {
    const manager = this;
    return function (this: Duplex) {
      const session = bySocket.get(this);
      if (session && session.messageDeadline === undefined && !session.closing && hasPartialMessage(session.ws))
        manager.armDeadline(session);
    };
  })();

  private armDeadline(session: Session): void {
    session.messageDeadline = this.clock.setTimeout(() => {
      session.messageDeadline = undefined;
      if (session.closing || !hasPartialMessage(session.ws)) return;
      this.admission.refusals.note(`slow ${session.ip}`, `message from ${session.ip}: incomplete for too long`);
      session.closing = true;
      session.ws.terminate();
    }, this.hub.limits.messageTimeoutMs);
  }

  private disarmDeadline(session: Session): void {
    if (session.messageDeadline === undefined) return;
    this.clock.clearTimeout(session.messageDeadline);
    session.messageDeadline = undefined;
  }

  private readonly onMessage = (() => {
    const manager = this;
    return function (this: WebSocket, data: RawData, isBinary: boolean) {
      const session = sessions.get(this)!;
      const welcomed = session.welcomed;
      session.messages++;
      manager.disarmDeadline(session); // a message completed; the next chunk arms it again if needed
      manager.hub.handleFrame(session, data, isBinary);
      if (session.wsFragments) releaseLastMessage(this, session.wsFragments);
      if (!welcomed && session.welcomed) {
        // once, not per frame
        manager.stopWaiting(session);
        manager.admission.welcomed(session.ip);
      }
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

  private stopWaiting(session: Session): void {
    this.awaitingHello.delete(session);
    const waiting = this.waitingByIp.get(session.ip);
    if (waiting?.delete(session) && waiting.size === 0) this.waitingByIp.delete(session.ip);
  }

  /** Closes the address's longest-waiting socket without hello (a Set iterates in insertion order). */
  private evictOldestWaiting(ip: string): void {
    const oldest = this.waitingByIp.get(ip)?.values().next().value;
    if (!oldest) return;
    this.stopWaiting(oldest);
    // The close frame tells an honest client why; terminate frees the slot now rather than after
    // the close handshake, which a silent attacker would never finish.
    this.hub.closeSession(oldest, TRACKER_CLOSE.tryAgainLater, 'replaced by a newer connection from your address');
    oldest.ws.terminate();
  }

  private closed(session: Session): void {
    this.disarmDeadline(session);
    this.stopWaiting(session);
    this.admission.closed(session.ip, session.welcomed);
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
      // At least one: a round begun with no sessions would otherwise never end, and sessions
      // arriving later (they join the live iterator) would never be pinged.
      this.pingsPerTick = Math.max(
        1,
        Math.ceil(this.hub.sessions.size / Math.max(1, Math.floor(interval / PING_TICK_MS))),
      );
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
      this.stopWaiting(session);
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
