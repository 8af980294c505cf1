/**
 * The browser's tracker client: one WebSocket to signaling/ (path /tracker), reconnecting with
 * exponential backoff and jitter, re-announcing remembered swarms after each reconnect. Every
 * server frame is checked with the shared schemas (src/protocol/tracker-schema.ts); a malformed
 * one is reported through onError, never thrown. The WebSocket constructor is injectable, so Node
 * tests drive it with `ws` against the real tracker.
 */
import {
  SWARM_ID_PATTERN,
  TRACKER_PROTOCOL_VERSION,
  type ClientMessage,
  type ServerMessage,
} from '../protocol/tracker.ts';
import { Listeners } from '../protocol/listeners.ts';
import { decodeServerMessage, parseEnvelope, type Envelope } from '../protocol/tracker-schema.ts';

export type TrackerStatus = 'connecting' | 'open' | 'reconnecting' | 'closed';

/** A tracker `error` reply, or a problem found on this side (codes below). */
export interface TrackerClientError {
  /** A TrackerErrorCode from the server, or: 'bad-server-message', 'not-connected', 'bad-swarm', 'bad-url'. */
  code: string;
  message: string;
  /** The message type the server refused, when it said. */
  ref?: string;
}

export interface TrackerClientOptions {
  /** ws:// or wss:// URL of the tracker endpoint, e.g. trackerUrl(location). */
  url: string;
  WebSocketImpl?: typeof WebSocket;
  /** First reconnect delay (default 500 ms); doubles per failed attempt... */
  minBackoffMs?: number;
  /** ...up to this (default 30 s). */
  maxBackoffMs?: number;
}

/** The tracker URL on the same host and port as the page (the tracker serves the SPA). */
export function trackerUrl(location: { protocol: string; host: string }): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/tracker`;
}

/** Delay before reconnect attempt `attempt` (0-based): exponential, capped, "equal jitter". */
export function backoffDelay(
  attempt: number,
  minMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(maxMs, minMs * 2 ** Math.min(attempt, 30));
  return ceiling / 2 + random() * (ceiling / 2);
}

/** Listeners of one client event: one bad listener must not stop the others. */
const listeners = <T>() => new Listeners<T>((err) => console.error('tracker client listener threw', err));

const OPEN = 1;

export class TrackerClient {
  private ws: WebSocket | undefined;
  private _peerId: string | undefined;
  private _status: TrackerStatus = 'connecting';
  /** Announced swarms and how many peers each wanted: re-announced after every reconnect. */
  private readonly swarms = new Map<string, number | undefined>();
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** When the scheduled reconnect fires (epoch ms); undefined while connected or trying now. */
  private _nextAttemptAt: number | undefined;
  /** Settles reconnectNow()'s promises when the attempt under way ends. */
  private attemptWaiters: Array<(ok: boolean) => void> = [];
  private readonly url: string;
  private readonly Impl: typeof WebSocket;
  private readonly minBackoffMs: number;
  private readonly maxBackoffMs: number;

  private readonly statusListeners = listeners<TrackerStatus>();
  private readonly welcomeListeners = listeners<string>();
  private readonly peersListeners = listeners<{ swarm: string; peers: string[] }>();
  private readonly signalListeners = listeners<{ swarm: string; from: string; payload: unknown }>();
  private readonly goneListeners = listeners<{ swarm: string; peerId: string }>();
  private readonly errorListeners = listeners<TrackerClientError>();
  private readonly scheduleListeners = listeners<number | undefined>();
  private readonly extensionListeners = new Map<string, Listeners<Envelope>>();

  constructor(opts: TrackerClientOptions) {
    this.url = opts.url;
    this.Impl = opts.WebSocketImpl ?? globalThis.WebSocket;
    this.minBackoffMs = opts.minBackoffMs ?? 500;
    this.maxBackoffMs = Math.max(opts.maxBackoffMs ?? 30_000, this.minBackoffMs);
    this.connect();
  }

  /** The server-assigned id of the current connection; changes after a reconnect. */
  get peerId(): string | undefined {
    return this._peerId;
  }

  get status(): TrackerStatus {
    return this._status;
  }

  /** While reconnecting: when the next attempt starts (epoch ms), or undefined while one is under way. */
  get nextAttemptAt(): number | undefined {
    return this._nextAttemptAt;
  }

  /**
   * Tries to reconnect at once instead of waiting out the backoff, which starts again from its
   * shortest pause (the user asked: the tracker is probably back). Resolves true once welcomed,
   * false if this attempt failed (the client then goes on retrying by itself). An attempt still
   * connecting is abandoned for a fresh one: a half-open socket to a dead host can hang for long.
   */
  reconnectNow(): Promise<boolean> {
    if (this._status === 'open') return Promise.resolve(true);
    if (this._status === 'closed') return Promise.resolve(false);
    const done = new Promise<boolean>((resolve) => this.attemptWaiters.push(resolve));
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.attempt = 0;
    const stale = this.ws;
    this.ws = undefined;
    stale?.close();
    this.connect();
    return done;
  }

  /** Joins a swarm (remembered: re-announced after a reconnect); the answer comes via onPeers. */
  announce(swarm: string, want?: number): void {
    if (!SWARM_ID_PATTERN.test(swarm)) {
      return this.fail('bad-swarm', `not a swarm id (base64url of 32 bytes): ${JSON.stringify(swarm).slice(0, 60)}`);
    }
    this.swarms.set(swarm, want);
    this.sendAnnounce(swarm, want);
  }

  leave(swarm: string): void {
    if (!this.swarms.delete(swarm)) return;
    this.send({ type: 'leave', swarm });
  }

  /** Relays a handshake payload to `to`; reported as 'not-connected' while there is no session. */
  signal(swarm: string, to: string, payload: unknown): void {
    if (!this.send({ type: 'signal', swarm, to, payload })) {
      this.fail('not-connected', `signal to ${to} dropped: the tracker connection is ${this._status}`);
    }
  }

  onStatus(cb: (s: TrackerStatus) => void): () => void {
    return this.statusListeners.add(cb);
  }
  onWelcome(cb: (peerId: string) => void): () => void {
    return this.welcomeListeners.add(cb);
  }
  onPeers(cb: (swarm: string, peers: string[]) => void): () => void {
    return this.peersListeners.add((m) => cb(m.swarm, m.peers));
  }
  onSignal(cb: (swarm: string, from: string, payload: unknown) => void): () => void {
    return this.signalListeners.add((m) => cb(m.swarm, m.from, m.payload));
  }
  onPeerGone(cb: (swarm: string, peerId: string) => void): () => void {
    return this.goneListeners.add((m) => cb(m.swarm, m.peerId));
  }
  onError(cb: (err: TrackerClientError) => void): () => void {
    return this.errorListeners.add(cb);
  }
  /** The next reconnect's time whenever one is scheduled, and undefined when an attempt starts. */
  onSchedule(cb: (nextAttemptAt: number | undefined) => void): () => void {
    return this.scheduleListeners.add(cb);
  }

  /**
   * Extension messages (e.g. the classroom's, registered on the server with registerHandler):
   * frames of `type` that are not core tracker messages, as parsed JSON objects. The extension
   * validates them with its own schema.
   */
  onExtension(type: string, cb: (message: Envelope) => void): () => void {
    let set = this.extensionListeners.get(type);
    if (!set) this.extensionListeners.set(type, (set = listeners<Envelope>()));
    return set.add(cb);
  }

  /** Sends an extension message; false (nothing sent) while not connected. */
  sendExtension(message: { type: string } & Record<string, unknown>): boolean {
    return this.send(message);
  }

  /** Closes for good: no reconnect. */
  close(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    const ws = this.ws;
    this.ws = undefined;
    this._peerId = undefined;
    this.setNextAttempt(undefined);
    this.setStatus('closed');
    this.settleAttempt(false);
    ws?.close(1000);
  }

  // ---- internals -----------------------------------------------------------------------------

  private connect(): void {
    this.setNextAttempt(undefined);
    let ws: WebSocket;
    try {
      ws = new this.Impl(this.url);
    } catch (err) {
      this.fail('bad-url', `cannot open ${this.url}: ${(err as Error).message}`);
      this.close();
      return;
    }
    this.ws = ws;
    ws.onopen = () => {
      if (this.ws === ws) ws.send(JSON.stringify({ type: 'hello', version: TRACKER_PROTOCOL_VERSION }));
    };
    ws.onmessage = (event: MessageEvent) => {
      if (this.ws === ws) this.receive(event.data);
    };
    ws.onerror = () => {}; // a close event follows; that is where we act
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = undefined;
      this._peerId = undefined;
      this.scheduleReconnect();
      this.settleAttempt(false);
    };
  }

  private scheduleReconnect(): void {
    if (this._status === 'closed') return;
    this.setStatus('reconnecting');
    const delay = backoffDelay(this.attempt++, this.minBackoffMs, this.maxBackoffMs);
    this.setNextAttempt(Math.round(Date.now() + delay));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this._status !== 'closed') this.connect();
    }, delay);
  }

  private receive(data: unknown): void {
    if (typeof data !== 'string') return this.fail('bad-server-message', 'the tracker sent a binary frame');
    const decoded = decodeServerMessage(data);
    if (!decoded.ok) {
      const envelope = decoded.code === 'unknown-type' ? parseEnvelope(data) : undefined;
      const listeners = envelope?.ok ? this.extensionListeners.get(envelope.message.type) : undefined;
      if (envelope?.ok && listeners?.size) return listeners.emit(envelope.message);
      return this.fail('bad-server-message', `the tracker sent a malformed message: ${decoded.message}`);
    }
    this.handle(decoded.message);
  }

  private handle(message: ServerMessage): void {
    switch (message.type) {
      case 'welcome':
        this._peerId = message.peerId;
        this.attempt = 0;
        this.setStatus('open');
        this.settleAttempt(true);
        this.welcomeListeners.emit(message.peerId);
        for (const [swarm, want] of this.swarms) this.sendAnnounce(swarm, want);
        return;
      case 'peers':
        return this.peersListeners.emit(message);
      case 'signal':
        return this.signalListeners.emit(message);
      case 'peer-gone':
        return this.goneListeners.emit(message);
      case 'error': {
        const err: TrackerClientError = { code: message.code, message: message.message };
        if (message.ref !== undefined) err.ref = message.ref;
        return this.errorListeners.emit(err);
      }
    }
  }

  private sendAnnounce(swarm: string, want: number | undefined): void {
    this.send(want === undefined ? { type: 'announce', swarm } : { type: 'announce', swarm, want });
  }

  /** Sends once welcomed (announces made before that go out with the welcome). */
  private send(message: ClientMessage | ({ type: string } & Record<string, unknown>)): boolean {
    const ws = this.ws;
    if (!ws || ws.readyState !== OPEN || this._peerId === undefined) return false;
    ws.send(JSON.stringify(message));
    return true;
  }

  private fail(code: string, message: string): void {
    this.errorListeners.emit({ code, message });
  }

  private setNextAttempt(at: number | undefined): void {
    if (at === this._nextAttemptAt) return;
    this._nextAttemptAt = at;
    this.scheduleListeners.emit(at);
  }

  private settleAttempt(ok: boolean): void {
    for (const resolve of this.attemptWaiters.splice(0)) resolve(ok);
  }

  private setStatus(status: TrackerStatus): void {
    if (status === this._status) return;
    this._status = status;
    this.statusListeners.emit(status);
  }
}
