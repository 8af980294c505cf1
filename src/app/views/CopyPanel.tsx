import type { CopyState, ShareStatus, ShareSummary } from '../../worker/protocol';
import { formatBytes } from '../format';
import { useT } from '../i18n';
import { ProgressBar } from './ProgressBar';

/** The sharer's copy into this browser's storage: live from the status, else as last recorded. */
export function copyOf(share: ShareSummary, status: ShareStatus | undefined): CopyState | undefined {
  return status?.copy ?? share.copy;
}

/** Bytes of this share held in this browser's storage (a sharer's copy, or a download's chunks). */
export function storedBytes(share: ShareSummary, status: ShareStatus | undefined): number {
  const copy = copyOf(share, status);
  if (copy) return copy.state === 'copied' ? share.totalSize : copy.state === 'copying' ? copy.bytes : held();
  return held();
  function held(): number {
    if (share.complete || status?.complete) return share.totalSize;
    return Math.min(share.totalSize, (status?.haveChunks ?? share.haveChunks) * share.chunkSize);
  }
}

/** A share created here: how far its background copy into storage is (the link works meanwhile). */
export function CopyPanel({ share, status }: { share: ShareSummary; status: ShareStatus | undefined }) {
  const t = useT();
  const copy = copyOf(share, status);
  if (!copy) return null;
  const bytes = storedBytes(share, status);
  const pct = share.totalSize > 0 ? Math.floor((bytes / share.totalSize) * 100) : 100;
  const text =
    copy.state === 'copying'
      ? t('copy.copying', { pct, done: formatBytes(bytes), total: formatBytes(share.totalSize) })
      : copy.state === 'interrupted'
        ? t('copy.interrupted', { pct })
        : t(copy.state === 'copied' ? 'copy.copied' : 'copy.failed');
  return (
    <div className="card copy-panel" data-testid="share-copy" data-state={copy.state} data-bytes={bytes}>
      <p className="small muted">{text}</p>
      {copy.state === 'copying' && <ProgressBar pct={pct} label={t('copy.copied')} />}
    </div>
  );
}
