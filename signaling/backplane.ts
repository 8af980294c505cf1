/**
 * What one tracker instance needs from the others when several run over a shared store: swarm
 * membership across instances, random samples of it, and relaying a signal to a peer connected
 * elsewhere. The single-process tracker has none (its SwarmRegistry is enough); REDIS_URL turns
 * on signaling/redis-backplane.ts. The hub's local registry stays the owner of local membership.
 */
import type { PeerId } from '../src/protocol/tracker.ts';

/** A message on its way to a peer on another instance; `from` was set by the sender's instance. */
export type RemoteMessage =
  | {
      kind: 'signal';
      swarm: string;
      from: PeerId;
      to: PeerId;
      /** The payload as JSON text, exactly as the sending instance serialised it. */
      payloadJson: string;
    }
  /** `from` left `swarm` (or disconnected); `to` exchanged signals with it there. */
  | { kind: 'gone'; swarm: string; from: PeerId; to: PeerId };

export interface SwarmBackplane {
  /** Prefix of every peer id this instance assigns: tells which instance a peer is on. */
  readonly peerIdPrefix: string;
  /** False while the shared store is unreachable: the instance refuses new connections. */
  readonly available: boolean;
  /** Records membership for the other instances (fire and forget; failures are logged). */
  join(swarm: string, peer: PeerId): void;
  /** `lastLocalMember`: no peer of this instance is left in `swarm`. */
  leave(swarm: string, peer: PeerId, lastLocalMember: boolean): void;
  /** Up to `count` members of `swarm` on live instances, chosen at random, never `exclude`. */
  sample(swarm: string, count: number, exclude: PeerId): Promise<PeerId[]>;
  /** Sends to the instance that holds `to`; false when that instance is not live. */
  relay(message: RemoteMessage): boolean;
  /** Messages other instances relay to peers on this one. */
  onMessage(cb: (message: RemoteMessage) => void): () => void;
  /** Availability changes (the store went away, or came back). */
  onAvailability(cb: (available: boolean) => void): () => void;

  // For extensions that keep state on one instance for all (the classroom's rooms, docs/TRACKER.md).
  /**
   * Makes this instance the owner of `name` unless a live instance already is; resolves with the
   * owner's tag (this instance's peerIdPrefix when it won). The claim lapses when its owner dies.
   */
  claim(name: string): Promise<string>;
  /** The live instance that owns `name`, if any. */
  ownerOf(name: string): Promise<string | undefined>;
  /** Gives `name` up (only if this instance still owns it). */
  release(name: string): void;
  /** Sends `text` to `topic`'s listener on the instance `tag`; false when the store is unreachable. */
  sendToInstance(tag: string, topic: string, text: string): boolean;
  /** Texts other instances sent to `topic` on this one. */
  onInstanceMessage(topic: string, cb: (text: string) => void): () => void;
  /**
   * How much longer the store will judge instance `tag` live (as `ownerOf` does), by the last
   * heartbeat this instance read; 0 or less when not live or not seen yet. For short caches.
   */
  liveForMs(tag: string): number;
  /** An instance stopped heartbeating or left: whatever its peers held elsewhere can go. */
  onInstanceGone(cb: (tag: string) => void): () => void;
  close(): Promise<void>;
}
