/**
 * The rechoke as a pure plan: from a snapshot of the neighbors' facts, which links to choke and
 * unchoke (in send order) and who holds the optimistic slot. ChokeManager gathers the facts and
 * applies the plan; the ranking itself is decideUnchokes (choker.ts).
 */
import { decideUnchokes } from './choker';
import type { Random } from './random';

/** What the plan needs to know of one handshaked neighbor. */
export interface SlotFacts {
  id: string;
  /** We unchoke it now. */
  unchoked: boolean;
  /** It said `interested`. */
  interested: boolean;
  /** Interested, or (super-seeding) lacking a chunk we have just shown it. */
  wantsFromUs: boolean;
  /** Ranking value: its rate to us (a leecher), or the chunks it lacks (a seeder). */
  rate: number;
  snubbed: boolean;
  /** Chunks it still lacks. */
  missing: number;
  /** A defector (reciprocity.ts): not for a regular slot, only for the optimistic one. */
  optimisticOnly: boolean;
  /** It holds a starter slot. */
  starter: boolean;
  /** It held a starter slot until this event (it has something to trade now). */
  releasedStarter: boolean;
}

export interface SlotPlanInput {
  /** Handshaked neighbors, in the engine's neighbor order (the order chokes are sent in). */
  neighbors: readonly SlotFacts[];
  /** Client-server mode: the origin serves every interested neighbor, anyone else nobody. */
  clientServer: boolean;
  isOrigin: boolean;
  slots: number;
  /** Regular slots given to the neighbors lacking the most chunks (0 for a seeder). */
  laggardSlots: number;
  currentOptimistic: string | undefined;
  rotateOptimistic: boolean;
  /**
   * A rechoke between periods (a neighbor lost interest or left, a starter got a chunk): nobody
   * who still wants from us is choked, only the freed slots are filled. Re-ranking at such events
   * choked neighbors whose rates had moved a little and unchoked them moments later, and the
   * requests crossing each choke were served twice (15 % of chokes undone within 1 s, 100 peers).
   */
  byEvent: boolean;
  random: Random;
}

export interface SlotPlan {
  /** Choke (true) or unchoke (false) these neighbors, in this order; only real changes. */
  changes: { id: string; choke: boolean }[];
  optimistic: string | undefined;
}

export function planSlots(input: SlotPlanInput): SlotPlan {
  const peers = input.neighbors;
  if (input.clientServer) {
    const serve = input.isOrigin ? new Set(peers.filter((n) => n.interested).map((n) => n.id)) : new Set<string>();
    return { changes: everyoneTo(peers, serve), optimistic: undefined };
  }
  const decision = decideUnchokes(
    peers.map((n) => ({
      id: n.id,
      interested: n.wantsFromUs,
      rate: n.rate,
      snubbed: n.snubbed,
      missing: n.missing,
      optimisticOnly: n.optimisticOnly,
    })),
    {
      slots: input.slots,
      currentOptimistic: input.currentOptimistic,
      rotateOptimistic: input.rotateOptimistic,
      laggardSlots: input.laggardSlots,
      random: input.random,
    },
  );
  const starters = peers.filter((n) => n.starter);
  for (const n of starters) decision.unchoked.add(n.id);
  const changes = input.byEvent
    ? fillFreedSlots(input, decision.unchoked, decision.optimistic, starters.length)
    : everyoneTo(peers, decision.unchoked);
  return { changes, optimistic: decision.optimistic };
}

/** The full rechoke: every neighbor to the decided state. */
function everyoneTo(peers: readonly SlotFacts[], unchoked: ReadonlySet<string>): SlotPlan['changes'] {
  const changes: SlotPlan['changes'] = [];
  for (const n of peers) {
    const choke = !unchoked.has(n.id);
    if (n.unchoked === choke) changes.push({ id: n.id, choke });
  }
  return changes;
}

/**
 * Chokes only the unchoked neighbors that want nothing from us (and starters just released that
 * the decision did not pick), then unchokes the decision's picks (by rank, then the optimistic
 * one, then starters) into the slots that frees.
 */
function fillFreedSlots(
  input: SlotPlanInput,
  unchoked: ReadonlySet<string>,
  optimistic: string | undefined,
  starterCount: number,
): SlotPlan['changes'] {
  const changes: SlotPlan['changes'] = [];
  const open = new Set<string>();
  let held = 0;
  for (const n of input.neighbors) {
    if (!n.unchoked) continue;
    const released = n.releasedStarter && !unchoked.has(n.id);
    if (!released && (n.wantsFromUs || n.starter)) {
      held++;
      open.add(n.id);
    } else changes.push({ id: n.id, choke: true });
  }
  let free = input.slots + (optimistic !== undefined ? 1 : 0) + starterCount - held;
  for (const id of unchoked) {
    if (free <= 0) break;
    if (open.has(id)) continue; // every id is a neighbor's: the decision picks among them
    changes.push({ id, choke: false });
    open.add(id);
    free--;
  }
  return changes;
}
