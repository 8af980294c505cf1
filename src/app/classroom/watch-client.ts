/**
 * The projector's own tracker connection: hello, then `classroom-watch` for one swarm; every
 * classroom message is validated before it reaches the store. Reconnects with backoff. It never
 * announces, so the projector is not a member of the swarm and no peer tries to connect to it.
 */
import { parseClassroomServer, type ClassroomControl, type ClassroomServerMessage } from '../../protocol/classroom';
import { TRACKER_PROTOCOL_VERSION } from '../../protocol/tracker';
import type { WatchStatus } from './store';

/** The part of the WebSocket API used here (the browser's, or `ws` in Node tests). */
/** How often a projector asks again while its swarm is not in classroom mode. */
export const REWATCH_MS = 3000;

export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

export interface WatchClientOptions {
  url: string;
  swarm: string;
  onMessage(message: ClassroomServerMessage): void;
  onStatus(status: WatchStatus): void;
  /** A message from the tracker that could not be used, or a refused request. */
  onProblem?(text: string): void;
  createSocket?(url: string): SocketLike;
}

export class WatchClient {
  private socket: SocketLike | null = null;
  private closed = false;
  private backoff = 500;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly o: WatchClientOptions) {
    this.connect();
  }

  /** Sends the teacher's settings; the tracker checks `secret`. False when not connected. */
  sendControl(secret: string, control: ClassroomControl): boolean {
    if (this.socket?.readyState !== 1) return false;
    this.socket.send(JSON.stringify({ type: 'classroom-control', swarm: this.o.swarm, secret, control }));
    return true;
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.socket?.close();
  }

  private connect(): void {
    this.o.onStatus('connecting');
    const ws = (this.o.createSocket ?? ((url) => new WebSocket(url) as unknown as SocketLike))(this.o.url);
    this.socket = ws;
    ws.onopen = () => ws.send(JSON.stringify({ type: 'hello', version: TRACKER_PROTOCOL_VERSION }));
    ws.onmessage = (ev) => this.onText(String(ev.data));
    ws.onerror = () => undefined;
    ws.onclose = () => {
      if (this.closed) return;
      this.o.onStatus('offline');
      this.timer = setTimeout(() => this.connect(), this.backoff);
      this.backoff = Math.min(this.backoff * 2, 8000);
    };
  }

  private watchAgain(): void {
    if (!this.closed && this.socket?.readyState === 1)
      this.socket.send(JSON.stringify({ type: 'classroom-watch', swarm: this.o.swarm }));
  }

  private onText(text: string): void {
    let type: unknown;
    try {
      type = (JSON.parse(text) as { type?: unknown }).type;
    } catch {
      return this.o.onProblem?.('the tracker sent something that is not JSON');
    }
    if (type === 'welcome') {
      this.backoff = 500;
      this.socket?.send(JSON.stringify({ type: 'classroom-watch', swarm: this.o.swarm }));
      return;
    }
    if (type === 'error') {
      const e = JSON.parse(text) as { code?: string; message?: string };
      return this.o.onProblem?.(`${e.code ?? 'error'}: ${e.message ?? ''}`);
    }
    if (typeof type !== 'string' || !type.startsWith('classroom-')) return; // not ours
    try {
      const message = parseClassroomServer(text);
      if (message.type === 'classroom-members') this.o.onStatus('live');
      // Not (yet, or no longer) a classroom swarm, e.g. the tracker restarted before the sharer re-opened it: ask again.
      if (
        (message.type === 'classroom-error' && message.code === 'not-classroom') ||
        message.type === 'classroom-closed'
      ) {
        clearTimeout(this.timer);
        this.timer = setTimeout(() => this.watchAgain(), REWATCH_MS);
      }
      this.o.onMessage(message);
    } catch (err) {
      this.o.onProblem?.(`ignored a malformed ${type}: ${(err as Error).message}`);
    }
  }
}
