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
import { BLOCK_FREE, BLOCK_RECEIVED, type ChunkLedger } from './ledger';
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
  requestedFrom: (index: number, block: number) => boolean;
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
  const startedOrHeld = ledger.have.count + ledger.active.size;
  const useRandom = !ctx.sequential && startedOrHeld < ctx.randomFirst;
  let best = -1;
  let bestAvail = Infinity;
  let ties = 0;
  const bits = peerHas.bytes;
  const missing = ledger.missingBits;
  // Chunks in index order that the neighbor has and we have not started: 8 at a time by bytes.
  for (let j = 0; j < missing.length; j++) {
    const candidates = bits[j]! & missing[j]!;
    if (candidates === 0) continue;
    for (let bit = 0; bit < 8; bit++) {
      if ((candidates & (0x80 >> bit)) === 0) continue;
      const i = j * 8 + bit;
      if (ctx.sequential) return { index: i, block: 0 };
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
