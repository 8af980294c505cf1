/**
 * Metadata transfer in pieces (like BEP 9): a downloader that only knows the info hash asks a
 * neighbor that has metadata for piece 0, learns the total size, asks for the rest, then checks
 * SHA-256(bytes) == info hash before believing any of it. A neighbor whose metadata does not match
 * is banned; a reject, silence or departure moves the fetch to another neighbor.
 */
import { decodeMetadata, MetadataError, parseMetadata, type ShareMetadata } from '../protocol/metadata';
import { MAX_METADATA_BYTES, METADATA_PIECE_BYTES, type MetadataDataMessage } from '../protocol/wire-messages';
import type { EngineCore } from './core';
import type { Neighbor } from './neighbor';

export type InstallMetadata = (metadata: ShareMetadata, encoded: Uint8Array, from: string) => Promise<void>;

export class MetadataExchange {
  private source: Neighbor | undefined;
  private buffer: Uint8Array | undefined;
  private got: Uint8Array | undefined;
  private gotCount = 0;
  private lastProgressAt = 0;
  private installing = false;
  private readonly tried = new Set<string>();

  constructor(
    private readonly core: EngineCore,
    private readonly install: InstallMetadata,
  ) {}

  private get needed(): boolean {
    return !this.core.metadata && !this.installing && !this.core.destroyed;
  }

  onHandshake(_n: Neighbor): void {
    this.maybeStart();
  }

  /**
   * A neighbor sent a bitfield or a have: it knows the chunk count, so it has the metadata even if
   * its handshake said otherwise (it got the metadata after the handshake). Without this, a peer
   * whose neighbors all joined as fresh downloaders never gets the metadata.
   */
  onNeighborHasMetadata(n: Neighbor): void {
    if (n.remoteHasMetadata) return;
    n.remoteHasMetadata = true;
    this.maybeStart();
  }

  /** Picks a neighbor that says it has metadata (untried ones first) and asks it for piece 0. */
  private maybeStart(): void {
    if (!this.needed || this.source) return;
    const candidates = [...this.core.neighbors.values()].filter(
      (n) => n.handshaked && !n.removed && n.remoteHasMetadata,
    );
    if (candidates.length === 0) return;
    let fresh = candidates.filter((n) => !this.tried.has(n.peerId));
    if (fresh.length === 0) {
      this.tried.clear();
      fresh = candidates;
    }
    const n = fresh[Math.floor(this.core.random() * fresh.length)]!;
    this.source = n;
    this.lastProgressAt = this.core.now();
    this.core.send(n, { type: 'metadata-request', piece: 0 });
  }

  private reset(): void {
    this.source = undefined;
    this.buffer = undefined;
    this.got = undefined;
    this.gotCount = 0;
  }

  private giveUpOn(n: Neighbor): void {
    this.tried.add(n.peerId);
    this.reset();
    this.maybeStart();
  }

  /** Serves our metadata; a peer without it (or a piece out of range) gets a reject. */
  onRequest(n: Neighbor, piece: number): void {
    const encoded = this.core.wireMetadata;
    const pieces = encoded ? Math.ceil(encoded.length / METADATA_PIECE_BYTES) : 0;
    if (!encoded || !Number.isInteger(piece) || piece < 0 || piece >= pieces) {
      this.core.send(n, { type: 'metadata-reject', piece: Number.isInteger(piece) && piece >= 0 ? piece : 0 });
      return;
    }
    const data = encoded.subarray(
      piece * METADATA_PIECE_BYTES,
      Math.min(encoded.length, (piece + 1) * METADATA_PIECE_BYTES),
    );
    this.core.send(n, { type: 'metadata-data', piece, totalSize: encoded.length, data });
  }

  onData(n: Neighbor, m: MetadataDataMessage): void {
    if (n !== this.source || !this.needed) return; // unsolicited (or late): ignored
    const { piece, totalSize, data } = m;
    if (!Number.isInteger(totalSize) || totalSize < 1 || totalSize > MAX_METADATA_BYTES)
      return this.core.protocolError(n, 'metadata size out of range');
    const pieces = Math.ceil(totalSize / METADATA_PIECE_BYTES);
    const expected = piece === pieces - 1 ? totalSize - piece * METADATA_PIECE_BYTES : METADATA_PIECE_BYTES;
    if (!Number.isInteger(piece) || piece < 0 || piece >= pieces || data.length !== expected)
      return this.core.protocolError(n, `metadata piece ${piece} malformed`);
    if (!this.buffer) {
      this.buffer = new Uint8Array(totalSize);
      this.got = new Uint8Array(pieces);
      for (let p = 0; p < pieces; p++) if (p !== piece) this.core.send(n, { type: 'metadata-request', piece: p });
    } else if (this.buffer.length !== totalSize) {
      return this.core.protocolError(n, 'metadata size changed between pieces');
    }
    this.lastProgressAt = this.core.now();
    if (this.got![piece]) return;
    this.got![piece] = 1;
    this.gotCount++;
    this.buffer.set(data, piece * METADATA_PIECE_BYTES);
    if (this.gotCount === pieces) void this.verifyAndInstall(this.buffer, n);
  }

  onReject(n: Neighbor): void {
    if (n === this.source) this.giveUpOn(n);
  }

  onNeighborGone(n: Neighbor): void {
    if (n === this.source) {
      this.reset();
      this.maybeStart();
    }
  }

  tick(now: number): void {
    if (this.source && now - this.lastProgressAt >= this.core.config.requestTimeoutMs) this.giveUpOn(this.source);
    else this.maybeStart();
  }

  private async verifyAndInstall(bytes: Uint8Array, from: Neighbor): Promise<void> {
    this.installing = true;
    this.reset();
    let metadata: ShareMetadata;
    const seal = this.core.metadataSeal;
    if (seal) {
      // A private share: bytes that don't open under the link's key, or open to metadata that is
      // not the link's, come from a peer that is lying.
      try {
        bytes = await seal.open(bytes);
      } catch {
        this.installing = false;
        if (this.core.destroyed) return;
        this.core.ban(from.peerId, 'sent metadata that does not open under the link');
        this.maybeStart();
        return;
      }
    }
    try {
      metadata = seal ? parseMetadata(bytes) : await decodeMetadata(bytes, this.core.infoHash, this.core.hasher);
    } catch (error) {
      this.installing = false;
      if (this.core.destroyed) return;
      if (error instanceof MetadataError && /info hash/.test(error.message)) {
        this.core.ban(from.peerId, 'sent metadata that does not match the info hash');
      } else {
        // The bytes hash to the link's info hash yet are not valid metadata: the link itself is bad.
        this.core.emit({ type: 'error', error: error as Error });
        return;
      }
      this.maybeStart();
      return;
    }
    await this.install(metadata, bytes, from.peerId);
    this.installing = false;
  }
}
