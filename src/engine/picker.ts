/**
 * Piece picking policy (what to ask a neighbor for next), on top of the ledger:
 *  1. finish started chunks first (a block of an active chunk the neighbor has);
 *  2. then a new chunk: in sequential mode the lowest index; while we hold fewer than
 *     `randomFirst` chunks a random one (to get something to trade quickly); else the rarest
 *     among the neighbor's chunks, random among equally rare;
 *  3. endgame: when every missing block is already requested, and this neighbor has nothing in
 *     flight, a block requested from someone else (fewest outstanding requests first, at most
 *     `endgameMaxRequests` at once); the engine cancels duplicates on arrival.
 */
import type { Bitfield } from './bitfield';
import { BLOCK_FREE, BLOCK_RECEIVED, STATUS_MISSING, type ChunkLedger } from './ledger';
import type { Random } from './random';

export interface PickContext {
  ledger: ChunkLedger;
  /** Neighbors having each chunk. */
  availability: Uint16Array;
  /** The neighbor we are filling. */
  peerHas: Bitfield;
  peerId: string;
  random: Random;
  sequential: boolean;
  randomFirst: number;
  endgame: boolean;
  /** A block is requested from at most this many neighbors at once in endgame. */
  endgameMaxRequests: number;
  /** Requests this neighbor has in flight (endgame picks only for an idle neighbor). */
  inFlight(): number;
  /** True when this neighbor already has a request out for the block. */
  requestedFrom(index: number, block: number): boolean;
}

export interface Pick {
  index: number;
  block: number;
}

export function pickBlock(ctx: PickContext): Pick | undefined {
  const pick = pickStarted(ctx) ?? pickNew(ctx);
  if (pick || !ctx.endgame || !ctx.ledger.allRequested || ctx.inFlight() > 0) return pick;
  return pickEndgame(ctx);
}

function pickStarted({ ledger, peerHas, peerId }: PickContext): Pick | undefined {
  for (const a of ledger.active.values()) {
    if (!peerHas.has(a.index)) continue;
    if (a.owner !== undefined && a.owner !== peerId) continue;
    const block = a.blocks.indexOf(BLOCK_FREE);
    if (block >= 0) return { index: a.index, block };
  }
  return undefined;
}

function pickNew(ctx: PickContext): Pick | undefined {
  const { ledger, peerHas, availability, random } = ctx;
  const n = ledger.chunkCount;
  const startedOrHeld = ledger.have.count + ledger.active.size;
  const useRandom = !ctx.sequential && startedOrHeld < ctx.randomFirst;
  let best = -1;
  let bestAvail = Infinity;
  let ties = 0;
  const status = ledger.status;
  const bits = peerHas.bytes;
  for (let i = 0; i < n; i++) {
    if ((bits[i >> 3]! & (0x80 >> (i & 7))) === 0 || status[i] !== STATUS_MISSING) continue;
    if (ctx.sequential) {
      best = i;
      break;
    }
    const avail = useRandom ? 0 : availability[i]!;
    if (avail < bestAvail) {
      bestAvail = avail;
      best = i;
      ties = 1;
    } else if (avail === bestAvail) {
      ties++;
      if (random() * ties < 1) best = i; // reservoir sampling: uniform among equals
    }
  }
  if (best < 0) return undefined;
  return { index: best, block: 0 };
}

function pickEndgame({ ledger, peerHas, requestedFrom, endgameMaxRequests }: PickContext): Pick | undefined {
  let best: Pick | undefined;
  let fewest = endgameMaxRequests;
  for (const a of ledger.active.values()) {
    if (!peerHas.has(a.index)) continue;
    for (let b = 0; b < a.blocks.length; b++) {
      if (a.blocks[b] === BLOCK_RECEIVED || requestedFrom(a.index, b)) continue;
      const r = a.reservations[b]!;
      if (r < fewest) {
        fewest = r;
        best = { index: a.index, block: b };
      }
    }
  }
  return best;
}
