/**
 * The tracker's core: every connected session by peer id, the frame pipeline (rate limit, parse,
 * the signal fast path, hello check, schema, handler) and the core messages: hello, announce,
 * signal (relay), leave.
 * It knows nothing about HTTP or sockets being accepted; signaling/connections.ts feeds it.
 */
import type { RawData } from 'ws';
import {
  TRACKER_CLOSE,
  TRACKER_PROTOCOL_VERSION,
  type AnnounceMessage,
  type ClientMessage,
  type LeaveMessage,
  type PeerId,
  type ServerMessage,
  type SignalMessage,
} from '../src/protocol/tracker.ts';
import { Listeners } from '../src/protocol/listeners.ts';
import {
  isSignalMessage,
  parseObject,
  signalRelayText,
  signalRelayTextOfJson,
} from '../src/protocol/tracker-guards.ts';
import { checkSchema, clientSchemas, parseEnvelope, type DecodeError } from '../src/protocol/tracker-schema.ts';
import type { TrackerLimits } from './config.ts';
import type {
  HandlerContext,
  HandlerOptions,
  MessageHandler,
  OutgoingMessage,
  RegisteredHandler,
  SwarmChange,
  TrackerExtensionHost,
} from './extensions.ts';
import type { RemoteMessage, SwarmBackplane } from './backplane.ts';
import { newPeerId } from './peer-id.ts';
import type { SwarmRegistry } from './registry.ts';
import type { Session } from './session.ts';
import { textFrame } from './text-frame.ts';
import { TokenBucket } from './token-bucket.ts';
import type { FrameRecorder } from './frame-recorder.ts';
import type { z } from 'zod';

export type Log = (level: 'info' | 'warn' | 'error', message: string) => void;

const EMPTY = new Set<string>();
/** WebSocket.OPEN (ws's readyState), without importing ws's runtime here. */
const OPEN = 1;

export class TrackerHub implements TrackerExtensionHost {
  /** Every open connection by its server-assigned peer id. */
  readonly sessions = new Map<PeerId, Session>();
  private readonly extensions = new Map<string, RegisteredHandler>();
  /** Extension listeners: a throwing one is logged, never allowed to break the core. */
  private readonly disconnectListeners = new Listeners<PeerId>((err) => this.logListenerError(err));
  private readonly swarmListeners = new Listeners<SwarmChange>((err) => this.logListenerError(err));
  /** The rate-limit policy; each session carries its own bucket state. */
  readonly bucket: TokenBucket;
  /** Set: every frame in and out is recorded (frame-recorder.ts; off by default). */
  recorder: FrameRecorder | undefined;

  constructor(
    readonly registry: SwarmRegistry,
    readonly limits: TrackerLimits,
    private readonly log: Log,
    /** Set when several instances share membership (REDIS_URL); absent for the single process. */
    readonly backplane?: SwarmBackplane,
    /** Milliseconds, monotonic: the rate limits' time (the tracker's clock). */
    now: () => number = () => performance.now(),
  ) {
    this.bucket = new TokenBucket(limits.messagesPerSec, limits.messageBurst, now);
    backplane?.onMessage((message) => this.deliverRemote(message));
  }

  /** A fresh, unguessable peer id; with a backplane it starts with this instance's tag. */
  newPeerId(): PeerId {
    return newPeerId(this.backplane?.peerIdPrefix ?? '');
  }

  /** Every (swarm, peer) held here, for the backplane to write again after its store came back. */
  *memberships(): Iterable<readonly [string, PeerId]> {
    for (const session of this.sessions.values()) {
      if (session.swarms) for (const swarm of session.swarms) yield [swarm, session.peerId] as const;
    }
  }

  // ---- extension interface -------------------------------------------------------------------

  registerHandler<T extends { type: string }>(
    type: string,
    schema: z.ZodType<T>,
    handler: MessageHandler<T>,
    options: HandlerOptions = {},
  ): void {
    if (Object.prototype.hasOwnProperty.call(clientSchemas, type))
      throw new Error(`"${type}" is a core tracker message type`);
    if (this.extensions.has(type)) throw new Error(`a handler for "${type}" is already registered`);
    const maxBytes = Math.min(options.maxBytes ?? this.limits.maxMessageBytes, this.limits.maxMessageBytes);
    this.extensions.set(type, { schema, handler: handler as MessageHandler<{ type: string }>, maxBytes });
  }

  onDisconnect(cb: (peer: PeerId) => void): () => void {
    return this.disconnectListeners.add(cb);
  }

  onSwarmChange(cb: (change: SwarmChange) => void): () => void {
    return this.swarmListeners.add(cb);
  }

  private logListenerError(err: unknown): void {
    this.log('error', `extension listener threw: ${(err as Error).stack ?? String(err)}`);
  }

  sendTo(peer: PeerId, message: OutgoingMessage): boolean {
    const target = this.sessions.get(peer);
    if (!target || !target.welcomed) return false;
    return this.send(target, message);
  }

  // ---- sending -------------------------------------------------------------------------------

  /** Sends JSON to a session; a client that stopped reading is closed instead of buffered forever. */
  send(session: Session, message: ServerMessage | OutgoingMessage): boolean {
    return !session.closing && this.sendText(session, JSON.stringify(message));
  }

  /** Sends an already serialised message (see send). */
  private sendText(session: Session, text: string): boolean {
    if (session.closing) return false;
    this.recorder?.frame('out', session.peerId, text);
    if (session.ws.bufferedAmount > this.limits.maxBufferedBytes) {
      // A close frame would queue behind the data it is not reading: cut the connection instead.
      this.log('warn', `peer ${session.peerId} from ${session.ip} stopped reading: disconnected`);
      session.closing = true;
      session.ws.terminate();
      return false;
    }
    // One buffer, one write on the socket (text-frame.ts) while the socket is open; otherwise ws
    // itself decides (after a close frame, ws drops data frames).
    if (session.socket !== undefined && session.ws.readyState === OPEN) session.socket.write(textFrame(text));
    else session.ws.send(text);
    return true;
  }

  private error(session: Session, code: string, message: string, ref?: string): void {
    this.send(session, ref === undefined ? { type: 'error', code, message } : { type: 'error', code, message, ref });
  }

  closeSession(session: Session, code: number, reason: string): void {
    if (session.closing) return;
    session.closing = true;
    session.ws.close(code, reason);
  }

  // ---- the frame pipeline --------------------------------------------------------------------

  /** One frame from a client. Never throws: bad input is answered, a handler bug becomes `internal`. */
  handleFrame(session: Session, data: RawData, isBinary: boolean): void {
    if (this.recorder)
      this.recorder.frame(
        'in',
        session.peerId,
        Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as Buffer),
      );
    if (session.closing) return;
    session.alive = true;
    if (!this.bucket.take(session)) {
      session.strikes++;
      if (session.strikes === 1)
        this.error(session, 'rate-limited', `more than ${this.limits.messagesPerSec} messages per second: slow down`);
      if (session.strikes >= this.limits.rateStrikes) this.closeSession(session, TRACKER_CLOSE.policy, 'message flood');
      return;
    }
    session.strikes = 0;
    if (isBinary) return this.error(session, 'bad-message', 'binary frames are not accepted: send JSON text');
    const buf = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
    const bytes = buf.length;
    const text = buf.toString();
    const message = parseObject(text);
    if (message === undefined) {
      const refused = parseEnvelope(text) as DecodeError; // the slow parse only to word the error
      return this.error(session, refused.code, refused.message);
    }
    // The hot path: a well-formed signal from a welcomed client skips the zod schema (and its
    // result objects); anything else, valid or not, takes the general path below.
    if (
      message.type === 'signal' &&
      session.welcomed &&
      bytes <= this.limits.maxSignalBytes &&
      isSignalMessage(message)
    ) {
      try {
        return this.signal(session, message);
      } catch (err) {
        this.log('error', `handler for "signal" threw: ${(err as Error).stack ?? String(err)}`);
        return this.error(session, 'internal', 'the tracker failed to handle "signal"', 'signal');
      }
    }
    // A client picks `type`; echo at most 64 characters of it back (a frame may hold 64 KiB of it).
    const type = message.type.length > 64 ? message.type.slice(0, 64) + '...' : message.type;
    if (!session.welcomed && type !== 'hello')
      return this.error(session, 'not-hello', `say hello first (got "${type}")`, type);
    try {
      if (Object.prototype.hasOwnProperty.call(clientSchemas, type)) {
        if (type === 'signal' && bytes > this.limits.maxSignalBytes) {
          return this.error(
            session,
            'too-large',
            `signal of ${bytes} bytes: at most ${this.limits.maxSignalBytes}`,
            type,
          );
        }
        const checked = checkSchema<ClientMessage>(clientSchemas[type as ClientMessage['type']], message);
        if (!checked.ok) return this.error(session, checked.code, checked.message, type);
        this.handleCore(session, checked.message);
        return;
      }
      const ext = this.extensions.get(type);
      if (!ext) return this.error(session, 'unknown-type', `unknown message type "${type}"`, type);
      if (bytes > ext.maxBytes)
        return this.error(session, 'too-large', `${type} of ${bytes} bytes: at most ${ext.maxBytes}`, type);
      const checked = checkSchema(ext.schema, message);
      if (!checked.ok) return this.error(session, checked.code, checked.message, type);
      ext.handler(checked.message, this.contextFor(session, type));
    } catch (err) {
      this.log('error', `handler for "${type}" threw: ${(err as Error).stack ?? String(err)}`);
      this.error(session, 'internal', `the tracker failed to handle "${type}"`, type);
    }
  }

  private contextFor(session: Session, type: string): HandlerContext {
    return {
      peerId: session.peerId,
      address: session.ip,
      swarms: session.swarms ?? EMPTY,
      registry: this.registry,
      reply: (message) => void this.send(session, message),
      sendTo: (peer, message) => this.sendTo(peer, message),
      error: (code, message) => this.error(session, code, message, type),
    };
  }

  private handleCore(session: Session, message: ClientMessage): void {
    switch (message.type) {
      case 'hello':
        return this.hello(session, message.version);
      case 'announce':
        return this.announce(session, message);
      case 'signal':
        return this.signal(session, message);
      case 'leave':
        return this.leave(session, message);
    }
  }

  // ---- core messages -------------------------------------------------------------------------

  private hello(session: Session, version: number): void {
    if (session.welcomed) return this.error(session, 'not-hello', 'hello was already said on this connection', 'hello');
    if (version !== TRACKER_PROTOCOL_VERSION) {
      return this.error(
        session,
        'bad-version',
        `this tracker speaks protocol version ${TRACKER_PROTOCOL_VERSION}, not ${version}`,
        'hello',
      );
    }
    session.welcomed = true;
    this.send(session, { type: 'welcome', version: TRACKER_PROTOCOL_VERSION, peerId: session.peerId });
  }

  private announce(session: Session, { swarm, want }: AnnounceMessage): void {
    if (!session.inSwarm(swarm)) {
      if (session.swarmCount() >= this.limits.maxSwarmsPerConnection) {
        return this.error(
          session,
          'too-many-swarms',
          `at most ${this.limits.maxSwarmsPerConnection} swarms per connection`,
          'announce',
        );
      }
      session.addSwarm(swarm);
      this.registry.join(swarm, session.peerId);
      this.backplane?.join(swarm, session.peerId);
      if (this.swarmListeners.size) this.swarmListeners.emit({ kind: 'join', swarm, peerId: session.peerId });
    }
    const count = Math.min(want ?? this.limits.maxPeersPerAnnounce, this.limits.maxPeersPerAnnounce);
    if (!this.backplane) {
      this.send(session, { type: 'peers', swarm, peers: this.registry.sample(swarm, count, session.peerId) });
      return;
    }
    // Across instances; if the store fails meanwhile, this instance's own members still help.
    const sendPeers = (peers: PeerId[]) => {
      if (session.inSwarm(swarm)) this.send(session, { type: 'peers', swarm, peers });
    };
    this.backplane.sample(swarm, count, session.peerId).then(sendPeers, (err: Error) => {
      this.log('warn', `backplane sample failed, answering with local peers: ${err.message}`);
      sendPeers(this.registry.sample(swarm, count, session.peerId));
    });
  }

  /** The relay: only between two members of the same swarm, tagged with the real sender. */
  private signal(session: Session, { swarm, to, payload }: SignalMessage): void {
    if (!session.inSwarm(swarm))
      return this.error(session, 'not-in-swarm', `announce swarm ${swarm} before signaling in it`, 'signal');
    const target = this.sessions.get(to);
    if (!target && this.backplane && !to.startsWith(this.backplane.peerIdPrefix)) {
      // On another instance: it checks the target's membership; ours (the sender's) is checked above.
      const payloadJson = JSON.stringify(payload);
      if (!this.backplane.relay({ kind: 'signal', swarm, from: session.peerId, to, payloadJson }))
        return this.error(session, 'unknown-peer', `peer ${to} is not in swarm ${swarm}`, 'signal');
      session.addRemoteContact(swarm, to, this.limits.maxContactsPerSwarm);
      return;
    }
    // The target's own swarm set, not the registry: announce and leave change both together, and
    // the session is already at hand (one small lookup instead of two in the registry's maps).
    if (!target || to === session.peerId || !target.welcomed || !target.inSwarm(swarm)) {
      return this.error(session, 'unknown-peer', `peer ${to} is not in swarm ${swarm}`, 'signal');
    }
    if (!this.sendText(target, signalRelayText(swarm, session.peerId, payload))) return;
    // Contacts are kept symmetric (both or neither), so a closing session, which leaves its
    // contacts' sets, is never left behind in another one's set.
    const cap = this.limits.maxContactsPerSwarm;
    if (session.addContact(swarm, target, cap) && !target.addContact(swarm, session, cap))
      session.removeContact(swarm, target);
  }

  private leave(session: Session, { swarm }: LeaveMessage): void {
    if (!session.inSwarm(swarm)) return this.error(session, 'not-in-swarm', `not in swarm ${swarm}`, 'leave');
    this.leaveSwarm(session, swarm);
  }

  /** Removes a session from a swarm and tells only the peers it exchanged signals with there. */
  private leaveSwarm(session: Session, swarm: string): void {
    this.registry.leave(swarm, session.peerId);
    this.backplane?.leave(swarm, session.peerId, this.registry.size(swarm) === 0);
    if (this.swarmListeners.size) this.swarmListeners.emit({ kind: 'leave', swarm, peerId: session.peerId });
    for (const peer of session.dropRemoteContacts(swarm) ?? [])
      this.backplane?.relay({ kind: 'gone', swarm, from: session.peerId, to: peer });
    const contacts = session.dropSwarm(swarm);
    if (!contacts) return;
    for (const other of contacts) {
      other.removeContact(swarm, session);
      this.send(other, { type: 'peer-gone', swarm, peerId: session.peerId });
    }
  }

  /** A message another instance relayed to one of our peers: delivered under the same rules as a local one. */
  private deliverRemote(message: RemoteMessage): void {
    const { swarm, from, to } = message;
    const target = this.sessions.get(to);
    if (!target || !target.welcomed || !target.inSwarm(swarm)) return;
    if (message.kind === 'gone') {
      target.removeRemoteContact(swarm, from);
      this.send(target, { type: 'peer-gone', swarm, peerId: from });
      return;
    }
    if (this.sendText(target, signalRelayTextOfJson(swarm, from, message.payloadJson)))
      target.addRemoteContact(swarm, from, this.limits.maxContactsPerSwarm);
  }

  // ---- lifecycle -----------------------------------------------------------------------------

  /** Signal contacts held by all sessions together (for leak checks). */
  contactCount(): number {
    let n = 0;
    for (const s of this.sessions.values()) n += s.contactCount();
    return n;
  }

  add(session: Session): void {
    this.sessions.set(session.peerId, session);
  }

  /** A socket closed: leave every swarm, forget the session, tell extensions. */
  remove(session: Session): void {
    if (this.sessions.get(session.peerId) !== session) return;
    session.closing = true;
    if (session.swarms) for (const swarm of [...session.swarms]) this.leaveSwarm(session, swarm);
    this.sessions.delete(session.peerId);
    this.disconnectListeners.emit(session.peerId);
  }
}
