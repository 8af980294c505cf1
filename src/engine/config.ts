/** Engine settings. Every algorithm constant is here so tests, the simulator and the classroom can tune it. */

/** 'p2p': BitTorrent. 'cs' (client-server): downloaders fetch only from the origin and upload to nobody. */
export type EngineMode = 'p2p' | 'cs';

export interface EngineConfig {
  /** 'seeder': the store already holds every chunk (the engine does not list it). */
  role: 'seeder' | 'leecher';
  /** This peer is the share's original sharer (announced in the handshake; the server in 'cs' mode). */
  isOrigin: boolean;
  mode: EngineMode;
  /** Request size. 16 KiB as BitTorrent; may equal the chunk size on message links (the simulator). */
  blockSize: number;
  /**
   * Extra unchokes for interested neighbors holding fewer than starterChunks chunks, passed on as
   * soon as one has that many: a newcomer has nothing to trade, so tit-for-tat never picks it.
   */
  starterSlots: number;
  starterChunks: number;
  /** Regular (tit-for-tat) upload slots. */
  uploadSlots: number;
  /**
   * Of a leecher's regular slots, this many (at most all but one) go at each rechoke to the
   * interested neighbors lacking the most chunks rather than the fastest: tit-for-tat alone leaves
   * a slow uploader that fell behind choked by every neighbor until the next optimistic rotation.
   */
  laggardSlots: number;
  /** Tit-for-tat rechoke period. */
  rechokeIntervalMs: number;
  /** Optimistic unchoke rotation period. */
  optimisticIntervalMs: number;
  /** A neighbor we wait on that sends no block for this long is snubbed. */
  snubTimeoutMs: number;
  /** A request unanswered this long is given up (and the block asked elsewhere). */
  requestTimeoutMs: number;
  /** Request queue depth per neighbor ~ this many seconds of its measured rate... */
  requestQueueSeconds: number;
  /** ...clamped to minQueueDepth..maxQueueDepth. */
  minQueueDepth: number;
  maxQueueDepth: number;
  /** The first chunks are picked at random (then rarest first). */
  randomFirstChunks: number;
  /** Pick chunks in order (for streaming) instead of rarest first. */
  sequential: boolean;
  /**
   * Endgame: once every missing block is requested, an idle neighbor (nothing in flight) may be
   * asked for a block already requested elsewhere, up to endgameMaxRequests at once; the
   * duplicates are cancelled when one copy arrives.
   */
  endgame: boolean;
  endgameMaxRequests: number;
  /**
   * Bytes all partially received chunks may hold together (each holds a full chunk buffer), so
   * neighbors that each send one block of a new chunk cannot pin memory; at least one chunk.
   */
  maxPartialBytes: number;
  /** Token-bucket caps in bytes per second (Infinity = none). */
  upBytesPerSec: number;
  downBytesPerSec: number;
  /** Never queue more than this on a transport; resume on drain (Chromium closes a channel past 16 MiB). */
  highWaterBytes: number;
  /**
   * Never queue more than this on all links together (one message always may; omitted: see
   * uplinkQueueSeconds; Infinity: no cap). The uplink then serves requests one after another
   * instead of splitting itself evenly across every unchoked neighbor: a chunk reaches its first
   * receiver in 1/k of the time, who can pass it on sooner.
   */
  uplinkQueueBytes?: number;
  /**
   * With uplinkQueueBytes omitted, the cap is this many seconds of the measured upload rate (a
   * fast uplink must not idle between wake-ups), but at most uplinkQueueChunks chunks and at least
   * one: a chunk queued behind k others reaches its receiver k chunk times later, and a swarm's
   * start is paced in chunk times, so a queue fixed in seconds holds 4 x more chunk times for each
   * quartering of the chunk size (docs/ENGINE.md, "The uplink queue").
   */
  uplinkQueueSeconds: number;
  uplinkQueueChunks: number;
  /** Requests a neighbor may have queued at us; more is a protocol error. */
  maxIncomingRequests: number;
  /** Housekeeping period: snubbing, request timeouts, keep-alives. One timer per engine. */
  tickMs: number;
  /** Send a keep-alive after this long without sending anything. */
  keepAliveMs: number;
  /** Close a neighbor that sent nothing for this long (0 = never). */
  idleTimeoutMs: number;
  /** Close a neighbor that did not complete the handshake within this long. */
  handshakeTimeoutMs: number;
  /** Re-send choke/interest state and bitfield every this long, so a lost message cannot stall a link (0 = never). */
  resyncIntervalMs: number;
  /** Time constant of the rate meters. */
  rateWindowMs: number;
  /**
   * Super-seeding for the original sharer (after BEP 16; applies only with isOrigin, in 'p2p' mode):
   * each neighbor sees only `superSeedReveals` chunks of ours at a time, the least shown ones, so
   * the sharer's upload goes out as distinct chunks. On by default: with the rules that keep it
   * from ever idling the sharer (super-seeder.ts) it beat plain seeding in the simulator from 1 to
   * 1,000 downloaders (docs/BENCHMARKS.md).
   */
  superSeeding: boolean;
  superSeedReveals: number;
  /** A shown chunk the neighbor has but that did not visibly spread frees its slot after this long. */
  superSeedPatienceMs: number;
  /**
   * Super-seeding's uplink is about to idle (super-seeder.ts shows more chunks then) when the
   * transports hold at most a chunk or this long of our measured upload rate.
   */
  superSeedIdleLeadMs: number;
  /**
   * A free rider: this peer downloads as usual but unchokes nobody, so it uploads nothing (the
   * classroom's lesson on tit-for-tat; the simulator's freeriders scenario). Ignored for the origin.
   */
  freeRide: boolean;
  /**
   * A neighbor that held chunks we wanted for this long (summed over ticks) without ever
   * unchoking us is a defector: it gets only our optimistic slot and, with all other defectors,
   * at most uplink / (uploadSlots + 1) (reciprocity.ts). Infinity turns the rule off.
   */
  defectAfterMs: number;
}

export const DEFAULT_ENGINE_CONFIG: Readonly<EngineConfig> = Object.freeze({
  role: 'leecher',
  isOrigin: false,
  mode: 'p2p',
  blockSize: 16 * 1024,
  starterSlots: 2,
  starterChunks: 1,
  uploadSlots: 4,
  laggardSlots: 1,
  rechokeIntervalMs: 10_000,
  optimisticIntervalMs: 30_000,
  snubTimeoutMs: 20_000,
  requestTimeoutMs: 30_000,
  requestQueueSeconds: 3,
  minQueueDepth: 2,
  maxQueueDepth: 250,
  randomFirstChunks: 4,
  sequential: false,
  endgame: true,
  endgameMaxRequests: 2,
  maxPartialBytes: 64 * 1024 * 1024,
  upBytesPerSec: Infinity,
  downBytesPerSec: Infinity,
  highWaterBytes: 1024 * 1024,
  uplinkQueueBytes: undefined,
  uplinkQueueSeconds: 1,
  uplinkQueueChunks: 12,
  maxIncomingRequests: 512,
  tickMs: 2_000,
  keepAliveMs: 30_000,
  idleTimeoutMs: 120_000,
  handshakeTimeoutMs: 20_000,
  resyncIntervalMs: 30_000,
  rateWindowMs: 5_000,
  superSeeding: true,
  superSeedReveals: 2,
  superSeedPatienceMs: 10_000,
  superSeedIdleLeadMs: 1_000,
  freeRide: false,
  defectAfterMs: 10_000,
});

/** A setting is out of range. Thrown by the engine constructor (a programming error, not peer input). */
export class EngineConfigError extends Error {
  override readonly name = 'EngineConfigError';
}

export function resolveConfig(partial: Partial<EngineConfig> | undefined): EngineConfig {
  const c: EngineConfig = { ...DEFAULT_ENGINE_CONFIG, ...partial };
  const positive: (keyof EngineConfig)[] = [
    'blockSize',
    'rechokeIntervalMs',
    'optimisticIntervalMs',
    'tickMs',
    'rateWindowMs',
    'highWaterBytes',
  ];
  for (const k of positive) if (!((c[k] as number) > 0)) throw new EngineConfigError(`${k} must be positive`);
  if (!Number.isInteger(c.blockSize) || c.blockSize < 1024)
    throw new EngineConfigError('blockSize must be an integer >= 1024');
  if (c.uplinkQueueBytes !== undefined && !(c.uplinkQueueBytes > 0))
    throw new EngineConfigError('uplinkQueueBytes must be positive');
  if (!(c.uplinkQueueSeconds >= 0) || !(c.uplinkQueueChunks >= 1))
    throw new EngineConfigError('uplinkQueueSeconds must be >= 0 and uplinkQueueChunks >= 1');
  if (!Number.isInteger(c.starterSlots) || c.starterSlots < 0 || !(c.starterChunks >= 1))
    throw new EngineConfigError('bad starter settings');
  if (c.uploadSlots < 0 || c.minQueueDepth < 1 || c.maxQueueDepth < c.minQueueDepth)
    throw new EngineConfigError('bad slot or queue settings');
  checkDefectAfterMs(c.defectAfterMs);
  if (!(c.upBytesPerSec > 0) || !(c.downBytesPerSec > 0))
    throw new EngineConfigError('rate caps must be positive (Infinity = none)');
  return c;
}

/** The defector window's one rule, for the config and for SwarmEngine.setDefectAfterMs. */
export function checkDefectAfterMs(ms: number): void {
  if (!(ms >= 0)) throw new EngineConfigError('defectAfterMs must be >= 0 (Infinity = off)');
}
