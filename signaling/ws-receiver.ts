/**
 * After each message, gives `ws`'s frame parser (its Receiver, one per socket) back the same
 * array to collect the socket's next message in, instead of the fresh one it made.
 *
 * Why: ws 8 (lib/receiver.js, dataMessage) replaces the Receiver's `_fragments` with a new empty
 * array after every message. That young array is held by a long-lived Receiver until the socket
 * speaks again (a second or more for a tracker client), so it outlives a scavenge or two and is
 * promoted; the next message's buffers are then pushed into an old-generation array, so they are
 * kept through the next scavenge and promoted with it. Under load (20,000 relays/s) that is
 * hundreds of KB of promoted garbage per scavenge, and the mark-compacts it brings run their
 * concurrent marking on the tracker's core: the p99 tail. With one array per socket, emptied after
 * each message, little is promoted (docs/TRACKER.md, "Known limits", says how to see it).
 *
 * `_receiver` and `_fragments` are ws internals: `receiverReuse` returns undefined if they are not
 * there (another ws version) and the tracker then still works, only with more GC;
 * signaling/ws-receiver.test.ts fails if an upgrade of ws changes them.
 */
import type { WebSocket } from 'ws';

type WithReceiver = { _receiver?: { _fragments?: unknown } | null };

/** The array this socket's Receiver collects fragments in now (empty), to be reused; or undefined. */
export function receiverReuse(ws: WebSocket): unknown[] | undefined {
  const fragments = (ws as unknown as WithReceiver)._receiver?._fragments;
  return Array.isArray(fragments) && fragments.length === 0 ? fragments : undefined;
}

/**
 * Call from the 'message' listener, after the message was handled: ws has just swapped in a fresh
 * empty array; the Receiver gets the socket's own one back, emptied (the message's buffers with it).
 */
export function releaseLastMessage(ws: WebSocket, fragments: unknown[]): void {
  const receiver = (ws as unknown as WithReceiver)._receiver;
  const fresh = receiver?._fragments;
  if (!receiver || !Array.isArray(fresh) || fresh.length !== 0 || fresh === fragments) return;
  fragments.length = 0;
  receiver._fragments = fragments;
}
