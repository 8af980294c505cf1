/**
 * The registration interface for extra message types (e.g. signaling/classroom.ts adds the
 * classroom's watch/stats/control messages) so they need no edit of the tracker's core.
 * A registered type goes through the same size limit, token bucket, hello check and JSON parsing
 * as the core types, then its own schema, then its handler. See docs/TRACKER.md.
 */
import type { z } from 'zod';
import type { PeerId } from '../src/protocol/tracker.ts';
import type { SwarmBackplane } from './backplane.ts';
import type { SwarmRegistry } from './registry.ts';

/** Any message a handler sends: a JSON object with a string `type`. */
export type OutgoingMessage = { type: string } & Record<string, unknown>;

/** What a handler may see and do while handling one message. */
export interface HandlerContext {
  /** The sender's server-assigned peer id (never taken from the message). */
  readonly peerId: PeerId;
  /** The sender's remote address (for per-address limits). */
  readonly address: string;
  /** The swarms the sender has announced (read-only view). */
  readonly swarms: ReadonlySet<string>;
  /** Swarm membership of everyone. */
  readonly registry: SwarmRegistry;
  /** Sends a message back to the sender. */
  reply(message: OutgoingMessage): void;
  /** Sends a message to any connected peer; false if that peer is not connected. */
  sendTo(peer: PeerId, message: OutgoingMessage): boolean;
  /** Answers the sender with an `error` message (`ref` is set to the handled type). */
  error(code: string, message: string): void;
}

/** Handles one validated message of a registered type. Throwing is caught and answered as `internal`. */
export type MessageHandler<T> = (message: T, ctx: HandlerContext) => void;

/** Options of one registered message type. */
export interface HandlerOptions {
  /** Frames of this type larger than this get a `too-large` error (default: maxMessageBytes). */
  maxBytes?: number;
}

/** A peer joined (first announce) or left (leave or disconnect) a swarm. */
export interface SwarmChange {
  kind: 'join' | 'leave';
  swarm: string;
  peerId: PeerId;
}

/** The subset of the tracker an extension module needs. */
export interface TrackerExtensionHost {
  /** Adds a message type; throws if `type` is a core type or already registered. */
  registerHandler<T extends { type: string }>(
    type: string,
    schema: z.ZodType<T>,
    handler: MessageHandler<T>,
    options?: HandlerOptions,
  ): void;
  /** Called after a peer's connection closed and it left every swarm. Returns an unsubscribe. */
  onDisconnect(cb: (peerId: PeerId) => void): () => void;
  /** Called on every swarm join and leave (including those caused by a disconnect). */
  onSwarmChange(cb: (change: SwarmChange) => void): () => void;
  /** Sends to any connected peer; false if not connected. */
  sendTo(peer: PeerId, message: OutgoingMessage): boolean;
  readonly registry: SwarmRegistry;
  /** Set when several instances share the tracker (REDIS_URL): for state shared between them. */
  readonly backplane?: SwarmBackplane;
}

export interface RegisteredHandler {
  schema: z.ZodType<{ type: string }>;
  handler: MessageHandler<{ type: string }>;
  maxBytes: number;
}

/**
 * A module that extends the tracker, e.g. `installClassroom` in signaling/classroom.ts. Listed in
 * signaling/plugins.ts (main.ts installs those) or passed to startTracker({ plugins }) in tests.
 */
export type TrackerPlugin = (host: TrackerExtensionHost) => void;
