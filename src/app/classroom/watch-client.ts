/**
 * The projector's own tracker connection: hello, then `classroom-watch` for one room (swarm + key;
 * with the secret key, a signed watch that takes the teacher's reserved slot). Every classroom
 * message is validated before it reaches the store, and a control only once its signature matches
 * the room key (a tracker or anyone else cannot put another round or mode on the wall). Reconnects
 * with backoff. It never announces, so the projector is not a member of the swarm and no peer
 * tries to connect to it.
 */
import { parseClassroomServer, type ClassroomControl } from '../../protocol/classroom';
import { signControl, signProof, verifyControl } from '../../protocol/classroom-signing';
import { TRACKER_PROTOCOL_VERSION } from '../../protocol/tracker';
import type { ProjectorEvent, WatchStatus } from './store';

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
  /** The room key (from the projector link). */
  roomKey: string;
  /** The room's secret key where this browser is the sharer's: watches as the teacher and signs controls. */
  secret?: string | null;
  /** The next control sequence number (persisted: it must grow across reloads). */
  nextSeq?(): number;
  onMessage(message: ProjectorEvent): void;
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
  private peerId = '';
  /** Sequence number of the latest verified control (older ones are replays). */
  private seq = 0;

  constructor(private readonly o: WatchClientOptions) {
    this.connect();
  }

  /** Signs and sends the teacher's settings. False when not connected or without the secret key. */
  sendControl(control: ClassroomControl): boolean {
    const secret = this.o.secret;
    if (this.socket?.readyState !== 1 || !secret) return false;
    const seq = this.o.nextSeq?.() ?? Math.max(this.seq + 1, Date.now());
    const signed = signControl(secret, this.o.swarm, { ...control, seq });
    this.socket.send(
      JSON.stringify({ type: 'classroom-control', swarm: this.o.swarm, key: this.o.roomKey, ...signed }),
    );
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
    if (this.closed || this.socket?.readyState !== 1) return;
    const { swarm, roomKey: key, secret } = this.o;
    const proof = secret && this.peerId ? { proof: signProof(secret, 'watch', swarm, this.peerId) } : {};
    this.socket.send(JSON.stringify({ type: 'classroom-watch', swarm, key, ...proof }));
  }

  private onText(text: string): void {
    let type: unknown;
    let peerId: unknown;
    try {
      ({ type, peerId } = JSON.parse(text) as { type?: unknown; peerId?: unknown });
    } catch {
      return this.o.onProblem?.('the tracker sent something that is not JSON');
    }
    if (type === 'welcome') {
      this.backoff = 500;
      this.peerId = typeof peerId === 'string' ? peerId : '';
      this.watchAgain();
      return;
    }
    if (type === 'error') {
      const e = JSON.parse(text) as { code?: string; message?: string };
      return this.o.onProblem?.(`${e.code ?? 'error'}: ${e.message ?? ''}`);
    }
    if (typeof type !== 'string' || !type.startsWith('classroom-')) return; // not ours
    try {
      const message = parseClassroomServer(text);
      if ('key' in message && message.key !== this.o.roomKey) return; // another room
      if (message.type === 'classroom-opened') return;
      if (message.type === 'classroom-members') this.o.onStatus('live');
      let event: ProjectorEvent = message as ProjectorEvent;
      if (message.type === 'classroom-control') {
        const body = verifyControl(this.o.roomKey, this.o.swarm, message);
        if (!body) return this.o.onProblem?.('ignored a control not signed with the room key');
        if (body.seq <= this.seq) return; // a replay or an older one
        this.seq = body.seq;
        const { seq: _seq, closed, ...control } = body;
        event = closed ? { type: 'classroom-closed' } : { type: 'classroom-control', control };
      }
      // Not (yet, or no longer) a classroom, e.g. the tracker restarted before the sharer re-opened it: ask again.
      if (
        (message.type === 'classroom-error' && message.code === 'not-classroom') ||
        event.type === 'classroom-closed'
      ) {
        clearTimeout(this.timer);
        this.timer = setTimeout(() => this.watchAgain(), REWATCH_MS);
      }
      this.o.onMessage(event);
    } catch (err) {
      this.o.onProblem?.(`ignored a malformed ${type}: ${(err as Error).message}`);
    }
  }
}
