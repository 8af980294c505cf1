/**
 * A recorded-style sample swarm for the demo projector (and for looking at the views without a
 * class): a small chunk-level model, one step per second, that emits the same stats messages real
 * peers send. Not the engine: just enough tit-for-tat, rarest first and optimistic unchoking to
 * make every visual move the way it does live. Deterministic for a given seed.
 */
import {
  NB_INTERESTED,
  NB_OPTIMISTIC,
  NB_THEY_UNCHOKE,
  NB_WE_UNCHOKE,
  type ClassroomMode,
  type ClassroomStatsRelay,
} from '../../../protocol/classroom';
import { packBitfield } from '../../../protocol/classroom-bitfield';
import { isRoundDone } from '../../../protocol/classroom-layout';

export interface SampleOptions {
  peers: number;
  chunks: number;
  chunkBytes: number;
  sharerUp: number;
  peerUp: number;
  peerDown: number;
  mode: ClassroomMode;
  round: number;
  seed: number;
}

interface Node {
  id: string;
  sharer: boolean;
  have: boolean[];
  /** chunk -> sender id, landing next step */
  incoming: Map<number, string>;
  budget: number;
  sentTo: Map<string, number>;
  gotFrom: Map<string, number>;
  unchoked: Set<string>;
  optimistic: string | null;
  doneMs?: number;
}

const SWARM = 'c2FtcGxlLXN3YXJtLWZvci10aGUtcHJvamVjdG9yLXZp';

export function sampleSwarmId(): string {
  return SWARM.padEnd(43, 'A').slice(0, 43);
}

/** Returns a step function: each call advances one second and returns that second's stats messages. */
export function createSampleSwarm(o: SampleOptions): () => ClassroomStatsRelay[] {
  let x = o.seed >>> 0 || 1;
  const rand = () => ((x ^= x << 13), (x ^= x >>> 17), (x ^= x << 5), (x >>> 0) / 2 ** 32);
  const mk = (id: string, sharer: boolean): Node => ({
    id,
    sharer,
    have: new Array<boolean>(o.chunks).fill(sharer),
    incoming: new Map(),
    budget: 0,
    sentTo: new Map(),
    gotFrom: new Map(),
    unchoked: new Set(),
    optimistic: null,
  });
  const nodes = [
    mk('sample-sharer', true),
    ...Array.from({ length: o.peers }, (_, i) => mk(`sample-peer-${i + 1}`, false)),
  ];
  let t = 0;

  const count = (n: Node) => n.have.filter(Boolean).length;
  const wants = (from: Node, to: Node) => to.have.some((h, i) => !h && !to.incoming.has(i) && from.have[i]);

  return () => {
    t++;
    // Land last second's chunks.
    for (const n of nodes) {
      for (const [i] of n.incoming) n.have[i] = true;
      n.incoming.clear();
      if (!n.sharer && n.doneMs === undefined && count(n) === o.chunks) n.doneMs = t * 1000;
    }
    const prevGot = new Map(nodes.map((n) => [n.id, n.gotFrom]));
    for (const n of nodes) {
      n.sentTo = new Map();
      n.gotFrom = new Map();
    }
    const availability = (i: number) => nodes.filter((n) => n.have[i]).length;

    for (const up of nodes) {
      if (o.mode === 'cs' && !up.sharer) continue;
      const others = nodes.filter((n) => n !== up && !n.sharer && wants(up, n));
      // Tit-for-tat every 10 s: the 3 who gave us most; optimistic unchoke rotates every 30 s.
      if (t % 10 === 1 || up.unchoked.size === 0) {
        const got = prevGot.get(up.id)!;
        const ranked = [...others].sort((a, b) => (got.get(b.id) ?? 0) - (got.get(a.id) ?? 0) || rand() - 0.5);
        up.unchoked = new Set(ranked.slice(0, up.sharer || o.mode === 'cs' ? nodes.length : 3).map((n) => n.id));
      }
      if (o.mode === 'p2p' && (t % 30 === 1 || !up.optimistic)) {
        const choked = others.filter((n) => !up.unchoked.has(n.id));
        up.optimistic = choked.length ? choked[Math.floor(rand() * choked.length)]!.id : null;
      }
      const targets = others.filter((n) => up.unchoked.has(n.id) || n.id === up.optimistic);
      up.budget += (up.sharer ? o.sharerUp : o.peerUp) / o.chunkBytes;
      let k = 0;
      while (up.budget >= 1 && targets.length) {
        const to = targets[(k++ + t) % targets.length]!;
        const room = o.peerDown > 0 ? o.peerDown / o.chunkBytes - to.incoming.size : Infinity;
        const candidates = to.have.map((_, i) => i).filter((i) => !to.have[i] && !to.incoming.has(i) && up.have[i]);
        if (!candidates.length || room < 1) {
          targets.splice(targets.indexOf(to), 1);
          continue;
        }
        // Rarest first (ties at random).
        candidates.sort((a, b) => availability(a) - availability(b) || rand() - 0.5);
        to.incoming.set(candidates[0]!, up.id);
        up.sentTo.set(to.id, (up.sentTo.get(to.id) ?? 0) + o.chunkBytes);
        to.gotFrom.set(up.id, (to.gotFrom.get(up.id) ?? 0) + o.chunkBytes);
        up.budget--;
      }
      up.budget = Math.min(up.budget, 1);
    }

    return nodes.map((n) => {
      const neighbors = nodes.filter((m) => m !== n && (o.mode === 'p2p' || n.sharer || m.sharer));
      return {
        type: 'classroom-stats' as const,
        swarm: sampleSwarmId(),
        from: n.id,
        stats: {
          v: 1,
          role: n.sharer ? ('s' as const) : ('p' as const),
          r: o.round,
          m: o.mode,
          n: o.chunks,
          F: o.chunks * o.chunkBytes,
          h: packBitfield(o.chunks, (i) => n.have[i]!),
          f: [...n.incoming.keys()],
          up: [...n.sentTo.values()].reduce((a, b) => a + b, 0),
          dn: [...n.gotFrom.values()].reduce((a, b) => a + b, 0),
          cu: n.sharer ? o.sharerUp : o.peerUp,
          cd: n.sharer ? 0 : o.peerDown,
          el: Math.min(t * 1000, n.doneMs ?? Infinity),
          ...(n.doneMs !== undefined ? { dt: n.doneMs } : {}),
          nb: neighbors.map((m) => {
            const flags =
              (n.unchoked.has(m.id) ? NB_WE_UNCHOKE : 0) |
              (n.optimistic === m.id ? NB_OPTIMISTIC : 0) |
              (m.unchoked.has(n.id) || m.optimistic === n.id ? NB_THEY_UNCHOKE : 0) |
              (wants(n, m) ? NB_INTERESTED : 0);
            return [m.id, n.sentTo.get(m.id) ?? 0, n.gotFrom.get(m.id) ?? 0, flags] as [string, number, number, number];
          }),
        },
      };
    });
  };
}

/** True once every downloader of the sample swarm is complete. */
export function sampleDone(messages: ClassroomStatsRelay[]): boolean {
  return messages.every((m) => m.stats.role === 's' || isRoundDone(m.stats));
}
