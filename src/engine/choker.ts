/**
 * Choking policy (BEP 3 tit-for-tat), pure: given the neighbors, decide who is unchoked.
 * - Regular slots: the `slots` interested, non-snubbed neighbors with the highest rate. A leecher
 *   ranks by how fast they send to us; a seeder by how fast they take from us. `laggardSlots` of
 *   them go instead to those lacking the most chunks (the swarm finishes when its last peer does).
 * - One optimistic slot: kept until rotated (every optimisticIntervalMs, by the caller), then given
 *   to the other interested neighbor lacking the most chunks (random among equals): laggards catch
 *   up, where a random draw kept favouring neighbors that already trade.
 */
import type { Random } from './random';

export interface ChokeCandidate {
  id: string;
  interested: boolean;
  /** Ranking rate (bytes/s): download-from-them for a leecher, upload-to-them for a seeder. */
  rate: number;
  snubbed: boolean;
  /** Chunks it still lacks (laggard and optimistic slots). */
  missing: number;
  /** Not for a regular or laggard slot, only for the optimistic one (a defector, reciprocity.ts). */
  optimisticOnly?: boolean;
}

export interface ChokeDecision {
  unchoked: Set<string>;
  optimistic: string | undefined;
}

export interface ChokeParams {
  slots: number;
  currentOptimistic: string | undefined;
  rotateOptimistic: boolean;
  /** Of the regular slots, this many (at most all but one) go to the non-snubbed neighbors lacking the most chunks instead of the fastest. */
  laggardSlots?: number;
  random: Random;
}

export function decideUnchokes(candidates: readonly ChokeCandidate[], p: ChokeParams): ChokeDecision {
  const interested = candidates.filter((c) => c.interested);
  // Shuffle first so equal rates are broken at random, then a stable sort by rate.
  const shuffled = shuffle(
    interested.filter((c) => !c.snubbed && !c.optimisticOnly),
    p.random,
  );
  shuffled.sort((a, b) => b.rate - a.rate);
  const laggards = Math.max(0, Math.min(p.laggardSlots ?? 0, p.slots - 1)); // at least one slot stays tit-for-tat
  const regular = shuffled.slice(0, p.slots - laggards);
  const unchoked = new Set(regular.map((c) => c.id));
  for (let i = 0; i < laggards; i++) {
    const laggard = mostMissing(
      shuffled.filter((c) => !unchoked.has(c.id)),
      p.random,
    );
    if (laggard) unchoked.add(laggard.id);
  }

  let optimistic: string | undefined = p.currentOptimistic;
  const stillValid =
    optimistic !== undefined && interested.some((c) => c.id === optimistic) && !unchoked.has(optimistic);
  if (p.rotateOptimistic || !stillValid) {
    const pool = interested.filter((c) => !unchoked.has(c.id));
    optimistic = mostMissing(pool, p.random)?.id;
  }
  if (optimistic !== undefined) unchoked.add(optimistic);
  return { unchoked, optimistic };
}

function shuffle<T>(items: T[], random: Random): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

function mostMissing(pool: readonly ChokeCandidate[], random: Random): ChokeCandidate | undefined {
  let best: ChokeCandidate[] = [];
  for (const c of pool) {
    if (best.length === 0 || c.missing > best[0]!.missing) best = [c];
    else if (c.missing === best[0]!.missing) best.push(c);
  }
  return best.length ? best[Math.floor(random() * best.length)] : undefined;
}
