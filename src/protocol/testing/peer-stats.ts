/** One classroom stats report for tests: a downloading peer with nothing yet, `over` changing any field. */
import { packBitfield } from '../classroom-bitfield';
import type { PeerStats } from '../classroom-layout';

export const STATS_CHUNK_BYTES = 256 * 1024;

export function peerStats(over: Partial<PeerStats> = {}): PeerStats {
  const n = over.n ?? 4;
  return {
    v: 1,
    role: 'p',
    r: 0,
    m: 'p2p',
    n,
    F: n * STATS_CHUNK_BYTES,
    h: packBitfield(n, () => false),
    f: [],
    up: 0,
    dn: 0,
    cu: 0,
    cd: 0,
    el: 0,
    nb: [],
    ...over,
  };
}
