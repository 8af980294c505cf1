/**
 * The chunk ledger: which chunks we have, and for chunks being downloaded, which blocks are free,
 * reserved (requested from a neighbor) or received. Pure bookkeeping, no policy: the picker
 * (picker.ts) decides WHAT to reserve; the engine calls reserve / cancel / set / complete.
 */
import { Bitfield } from './bitfield';

export const BLOCK_FREE = 0;
export const BLOCK_RESERVED = 1;
export const BLOCK_RECEIVED = 2;

/** Chunk states beyond "missing" and "have". */
export type ChunkState = 'missing' | 'active' | 'verifying' | 'have';
export const STATUS_MISSING = 0;
export const STATUS_ACTIVE = 1;
export const STATUS_VERIFYING = 2;
export const STATUS_HAVE = 3;
const STATE_NAMES: readonly ChunkState[] = ['missing', 'active', 'verifying', 'have'];

/** A chunk being downloaded. */
export interface ActiveChunk {
  index: number;
  /** BLOCK_* per block. */
  blocks: Uint8Array;
  /** Outstanding requests per block (more than one in endgame). */
  reservations: Uint16Array;
  received: number;
  /** Assembled bytes (allocated on the first block of a multi-block chunk). */
  buffer: Uint8Array | undefined;
  /** Peer ids that sent blocks of it (banned if the hash fails and there is one). */
  sources: Set<string>;
  /** Set when an earlier copy failed its hash with several sources: only this peer may fill it. */
  owner: string | undefined;
}

export interface LedgerGeometry {
  chunkCount: number;
  chunkSize: number;
  totalSize: number;
}

export class ChunkLedger {
  readonly have: Bitfield;
  /** Started chunks in the order they were started (the picker finishes them first). */
  readonly active = new Map<number, ActiveChunk>();
  private readonly verifying = new Set<number>();
  /** Chunks that failed with several sources: next time they are fetched from a single peer. */
  readonly suspect = new Set<number>();
  /** Per chunk: STATUS_MISSING / ACTIVE / VERIFYING / HAVE. */
  readonly status: Uint8Array;
  /**
   * The chunks whose status is STATUS_MISSING as bits in the wire's layout (MSB first), so the
   * picker ANDs a byte of them with a byte of a neighbor's bitfield and skips 8 chunks at a time.
   */
  readonly missingBits: Uint8Array;
  /** Blocks of missing/active chunks that are neither reserved nor received (0 = endgame). */
  private unrequested: number;
  readonly blocksPerChunk: number;
  /** Most chunks started at once (each may hold a full chunk buffer): config.maxPartialBytes / chunkSize. */
  maxActive = Infinity;

  constructor(
    readonly geometry: LedgerGeometry,
    readonly blockSize: number,
  ) {
    this.have = new Bitfield(geometry.chunkCount);
    this.status = new Uint8Array(geometry.chunkCount);
    const missing = new Bitfield(geometry.chunkCount);
    missing.setAll();
    this.missingBits = missing.bytes;
    this.blocksPerChunk = Math.ceil(geometry.chunkSize / blockSize);
    this.unrequested = 0;
    for (let i = 0; i < geometry.chunkCount; i++) this.unrequested += this.blockCount(i);
  }

  get chunkCount(): number {
    return this.geometry.chunkCount;
  }
  get isComplete(): boolean {
    return this.have.full;
  }
  /** True when every block still missing is already requested: endgame. */
  get allRequested(): boolean {
    return this.unrequested === 0 && !this.have.full;
  }

  chunkLength(index: number): number {
    const { chunkCount, chunkSize, totalSize } = this.geometry;
    return index < chunkCount - 1 ? chunkSize : totalSize - chunkSize * (chunkCount - 1);
  }
  blockCount(index: number): number {
    return Math.ceil(this.chunkLength(index) / this.blockSize);
  }
  blockLength(index: number, block: number): number {
    return Math.min(this.blockSize, this.chunkLength(index) - block * this.blockSize);
  }

  state(index: number): ChunkState {
    return STATE_NAMES[this.status[index]!]!;
  }

  /** Marks a chunk we already hold (resume, or the seeder). */
  markHave(index: number): void {
    if (this.have.has(index)) return;
    const a = this.active.get(index);
    if (a) this.unrequested -= countFree(a);
    else if (!this.verifying.has(index)) this.unrequested -= this.blockCount(index);
    this.active.delete(index);
    this.verifying.delete(index);
    this.have.set(index);
    this.setStatus(index, STATUS_HAVE);
  }

  private setStatus(index: number, status: number): void {
    this.status[index] = status;
    const mask = 0x80 >> (index & 7);
    if (status === STATUS_MISSING) this.missingBits[index >> 3]! |= mask;
    else this.missingBits[index >> 3]! &= ~mask;
  }

  /** First free block of `index` (starting it if missing), or -1. */
  freeBlock(index: number): number {
    const s = this.state(index);
    if (s === 'missing') return 0;
    if (s !== 'active') return -1;
    return this.active.get(index)!.blocks.indexOf(BLOCK_FREE);
  }

  /**
   * True when a new chunk may be started: fewer than maxActive are, or one of them holds nothing
   * (no block received, none requested) and is put back to missing to make room.
   */
  roomForNewChunk(): boolean {
    if (this.active.size < this.maxActive) return true;
    for (const a of this.active.values()) {
      if (a.received === 0 && a.reservations.every((r) => r === 0)) {
        this.reset(a.index);
        return true;
      }
    }
    return false;
  }

  /** Bytes held by the buffers of partially received chunks. */
  get partialBytes(): number {
    let bytes = 0;
    for (const a of this.active.values()) bytes += a.buffer?.byteLength ?? 0;
    return bytes;
  }

  /**
   * Records one more outstanding request for block `block` of chunk `index`. Starting a suspect
   * chunk makes `requester` its owner: only that neighbor fills it.
   */
  reserve(index: number, block: number, requester?: string): void {
    let a = this.active.get(index);
    if (!a) {
      if (this.state(index) !== 'missing') throw new Error(`chunk ${index} is not downloadable`);
      const n = this.blockCount(index);
      a = {
        index,
        blocks: new Uint8Array(n),
        reservations: new Uint16Array(n),
        received: 0,
        buffer: undefined,
        sources: new Set(),
        owner: this.suspect.has(index) ? requester : undefined,
      };
      this.active.set(index, a);
      this.setStatus(index, STATUS_ACTIVE);
    }
    if (a.blocks[block] === BLOCK_FREE) {
      a.blocks[block] = BLOCK_RESERVED;
      this.unrequested--;
    }
    a.reservations[block]!++;
  }

  /** One outstanding request for the block is gone unanswered (cancelled, timed out, peer left). */
  cancel(index: number, block: number): void {
    const a = this.active.get(index);
    if (!a || a.reservations[block] === 0) return;
    a.reservations[block]!--;
    if (a.reservations[block] === 0 && a.blocks[block] === BLOCK_RESERVED) {
      a.blocks[block] = BLOCK_FREE;
      this.unrequested++;
    }
    // An owned (suspect) chunk whose owner no longer has any request out is started over, so
    // another neighbor can own it: otherwise a departed owner would block it forever.
    if (a.owner !== undefined && a.reservations.every((r) => r === 0)) this.reset(index);
  }

  /** Outstanding requests for a block (more than one only in endgame). */
  reservationsOf(index: number, block: number): number {
    return this.active.get(index)?.reservations[block] ?? 0;
  }

  /** Is this block still wanted (active chunk, not yet received)? */
  wants(index: number, block: number): boolean {
    const a = this.active.get(index);
    return !!a && a.blocks[block] !== BLOCK_RECEIVED;
  }

  /**
   * Stores a received block. Returns true when that was the chunk's last block (call takeChunk).
   * The data is copied into the chunk's buffer, except for a single-block chunk, kept as is.
   */
  set(index: number, block: number, data: Uint8Array, from: string): boolean {
    const a = this.active.get(index);
    if (!a || a.blocks[block] === BLOCK_RECEIVED) return false;
    if (a.blocks[block] === BLOCK_FREE) this.unrequested--;
    a.blocks[block] = BLOCK_RECEIVED;
    a.reservations[block] = 0;
    a.received++;
    a.sources.add(from);
    if (a.blocks.length === 1) a.buffer = data;
    else {
      a.buffer ??= new Uint8Array(this.chunkLength(index));
      a.buffer.set(data, block * this.blockSize);
    }
    return a.received === a.blocks.length;
  }

  /** Moves a fully received chunk to "verifying" and hands over its bytes and sources. */
  takeChunk(index: number): { data: Uint8Array; sources: Set<string> } {
    const a = this.active.get(index);
    if (!a || a.received !== a.blocks.length || !a.buffer) throw new Error(`chunk ${index} is not fully received`);
    this.active.delete(index);
    this.verifying.add(index);
    this.setStatus(index, STATUS_VERIFYING);
    return { data: a.buffer, sources: a.sources };
  }

  /** The chunk passed its hash check and is stored. */
  complete(index: number): void {
    this.verifying.delete(index);
    this.suspect.delete(index);
    this.have.set(index);
    this.setStatus(index, STATUS_HAVE);
  }

  /** The chunk failed its hash check (or could not be stored): every block is wanted again. */
  reset(index: number): void {
    const a = this.active.get(index);
    if (a) this.unrequested += a.blocks.length - countFree(a);
    else if (this.verifying.has(index)) this.unrequested += this.blockCount(index);
    else return;
    this.active.delete(index);
    this.verifying.delete(index);
    this.setStatus(index, STATUS_MISSING);
  }
}

function countFree(a: ActiveChunk): number {
  let n = 0;
  for (let i = 0; i < a.blocks.length; i++) if (a.blocks[i] === BLOCK_FREE) n++;
  return n;
}
