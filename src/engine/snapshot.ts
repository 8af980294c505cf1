/** Builds the UI's view of an engine: copies, so the caller may keep or transfer them. */
import type { EngineCore } from './core';
import { STATUS_ACTIVE, STATUS_VERIFYING, type ChunkLedger } from './ledger';
import type { EngineSnapshot, NeighborSnapshot } from './events';

export function takeSnapshot(core: EngineCore): EngineSnapshot {
  const now = core.now();
  const ledger = core.ledger;
  const meta = core.metadata;
  let verifiedBytes = 0;
  if (ledger) {
    verifiedBytes = ledger.have.count * ledger.geometry.chunkSize;
    const last = ledger.chunkCount - 1;
    if (ledger.have.has(last)) verifiedBytes -= ledger.geometry.chunkSize - ledger.chunkLength(last);
  }
  const neighbors: NeighborSnapshot[] = [...core.neighbors.values()].map((n) => {
    const got = core.download.statsOf(n, now);
    const sent = core.upload.statsOf(n, now);
    return {
      peerId: n.peerId,
      handshaked: n.handshaked,
      isOrigin: n.isOrigin,
      amChoking: core.choke.isChoking(n),
      amInterested: got.amInterested,
      peerChoking: got.peerChoking,
      peerInterested: core.choke.isInterested(n),
      optimistic: core.choke.isOptimistic(n),
      snubbed: got.snubbed,
      defector: core.reciprocity.defected(n),
      downRate: got.downRate,
      upRate: sent.upRate,
      bytesDown: got.bytesDown,
      bytesUp: sent.bytesUp,
      requestsOut: got.requestsOut,
      requestsIn: sent.requestsIn,
      haveCount: n.have?.count ?? 0,
      have: n.have ? n.have.toBytes() : new Uint8Array(0),
    };
  });
  const totalBytes = meta?.totalSize ?? 0;
  return {
    localPeerId: core.localPeerId,
    mode: core.config.mode,
    hasMetadata: !!meta,
    complete: core.complete,
    chunkCount: ledger?.chunkCount ?? 0,
    verifiedChunks: ledger?.have.count ?? 0,
    totalBytes,
    verifiedBytes,
    progress: totalBytes > 0 ? verifiedBytes / totalBytes : 0,
    have: ledger ? ledger.have.toBytes() : new Uint8Array(0),
    inFlight: ledger ? chunksInFlight(ledger) : [],
    availability: core.availability.slice(),
    downRate: core.downMeter.get(now),
    upRate: core.upMeter.get(now),
    bytesDown: core.downMeter.total,
    bytesUp: core.upMeter.total,
    neighbors,
    banned: [...core.banned.keys()],
  };
}

/** Started or verifying chunks, ascending: what the classroom's chunk maps draw as "in flight". */
function chunksInFlight(ledger: ChunkLedger): number[] {
  const out: number[] = [];
  const status = ledger.status;
  for (let i = 0; i < status.length; i++)
    if (status[i] === STATUS_ACTIVE || status[i] === STATUS_VERIFYING) out.push(i);
  return out;
}
