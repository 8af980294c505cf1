/**
 * What the download panel shows, computed from the share and its live status (pure, so it is
 * unit-tested without a browser).
 */
import type { ShareStatus, ShareSummary, WorkerErrorCode } from '../../worker/protocol';
import type { ShareProblem } from '../state/store';

/** Problems after which the worker has stopped this share's transfer (bad metadata is only ignored). */
const STOPPING: ReadonlySet<ShareProblem['code']> = new Set<WorkerErrorCode>([
  'storage-full',
  'storage-failed',
  'not-found',
  'internal',
]);

export function stopsTransfer(problem: ShareProblem | undefined): boolean {
  return !!problem && STOPPING.has(problem.code);
}

/** Bytes held of the share: whole chunks, the last one counted at its real (shorter) size. */
export function bytesHeld(share: ShareSummary, status: ShareStatus | undefined): number {
  const have = status?.haveChunks ?? share.haveChunks;
  const count = status?.chunkCount || share.chunkCount;
  if (share.complete || status?.complete || (count > 0 && have >= count)) return share.totalSize;
  return Math.min(share.totalSize, have * share.chunkSize);
}

export interface DownloadFigures {
  held: number;
  /** Bytes per second; 0 when stopped (a stale rate would claim it still moves). */
  rate: number;
  /** Seconds left at the current rate; undefined when unknown or stopped. */
  secondsLeft: number | undefined;
  stopped: boolean;
}

export function downloadFigures(
  share: ShareSummary,
  status: ShareStatus | undefined,
  problem: ShareProblem | undefined,
): DownloadFigures {
  const held = bytesHeld(share, status);
  const stopped = stopsTransfer(problem);
  const rate = stopped ? 0 : (status?.downloadRate ?? 0);
  const secondsLeft = rate >= 1 ? (share.totalSize - held) / rate : undefined;
  return { held, rate, secondsLeft, stopped };
}

/**
 * Neighbors worth a row: a peer that left without a byte either way (a connection that never
 * worked, e.g. behind a blocking network) would only show up as a puzzling "left".
 */
export function shownNeighbors(status: ShareStatus | undefined): ShareStatus['neighbors'] {
  return (status?.neighbors ?? []).filter((n) => n.state !== 'gone' || n.downloaded > 0 || n.uploaded > 0);
}
