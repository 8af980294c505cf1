/** Named errors the engine reports in events (it never throws them at a caller for peer input). */

/** A neighbor broke the protocol: malformed, out-of-range or out-of-order message. That link is closed. */
export class PeerProtocolError extends Error {
  override readonly name = 'PeerProtocolError';
  constructor(
    readonly peerId: string,
    message: string,
  ) {
    super(`${peerId}: ${message}`);
  }
}

/** The chunk store failed (quota, closed database, ...). */
export class ChunkStoreError extends Error {
  override readonly name = 'ChunkStoreError';
  constructor(
    message: string,
    readonly cause?: unknown,
  ) {
    super(message);
  }
}
