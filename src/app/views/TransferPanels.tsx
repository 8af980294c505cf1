import { useState } from 'react';
import type { ShareStatus, ShareSummary } from '../../worker/protocol';
import { formatBytes, formatDuration, formatRate } from '../format';
import { useT } from '../i18n';
import { runtime } from '../runtime-instance';
import { saveFile } from '../save-file';
import type { ShareProblem } from '../state/store';
import { downloadFigures } from './transfer-figures';
import { displayName } from '../display-name';
import { FileName } from './FileName';
import { ProgressBar } from './ProgressBar';

/** Neighbors we are exchanging with now (banned and departed ones excluded). */
export function activeNeighbors(status: ShareStatus | undefined): number {
  return status?.neighbors.filter((n) => n.state === 'active').length ?? 0;
}

export function percent(share: ShareSummary, status: ShareStatus | undefined): number {
  const have = status?.haveChunks ?? share.haveChunks;
  const count = status?.chunkCount || share.chunkCount;
  if (share.complete || status?.complete) return 100;
  return count > 0 ? Math.min(100, Math.floor((have / count) * 100)) : 0;
}

function Stat({ label, value, testId }: { label: string; value: string | number; testId?: string }) {
  return (
    <div className="stat">
      <span className="stat-value" data-testid={testId}>
        {value}
      </span>
      <span className="stat-label">{label}</span>
    </div>
  );
}

/** A download under way: progress, bytes held, speed and time left; "Stopped" after a fatal problem. */
export function DownloadPanel({
  share,
  status,
  problem,
}: {
  share: ShareSummary;
  status: ShareStatus | undefined;
  problem?: ShareProblem;
}) {
  const t = useT();
  const pct = percent(share, status);
  const { held, rate, secondsLeft, stopped } = downloadFigures(share, status, problem);
  const title = t(stopped ? 'download.stopped' : 'download.title');
  return (
    <div
      className={`card${stopped ? ' stopped' : ''}`}
      data-testid="download-panel"
      data-state={stopped ? 'stopped' : 'running'}
    >
      <div className="row">
        <h3>{title}</h3>
        <span className="pct">
          <span className="muted small" data-testid="bytes-held">
            {t('download.received', { held: formatBytes(held), total: formatBytes(share.totalSize) })}
          </span>{' '}
          {pct}%
        </span>
      </div>
      <ProgressBar pct={pct} label={title} big testId="progress" />
      <div className="stats">
        <Stat label={t('download.speed')} value={stopped ? '–' : formatRate(rate)} testId="download-speed" />
        <Stat
          label={t('download.timeLeft')}
          value={secondsLeft === undefined ? '–' : formatDuration(secondsLeft)}
          testId="time-left"
        />
        <Stat label={t('download.peers')} value={activeNeighbors(status)} testId="peer-count" />
        <Stat label={t('seed.uploaded')} value={formatBytes(status?.uploadedBytes ?? 0)} />
      </div>
      {!stopped && <p className="muted small">{t('download.passingOn')}</p>}
    </div>
  );
}

export function SeedingPanel({ status }: { status: ShareStatus | undefined }) {
  const t = useT();
  return (
    <div className="card">
      <h3>{t('seed.title')}</h3>
      <div className="stats">
        <Stat label={t('download.peers')} value={activeNeighbors(status)} testId="peer-count" />
        <Stat label={t('seed.uploaded')} value={formatBytes(status?.uploadedBytes ?? 0)} testId="bytes-uploaded" />
        <Stat label={t('seed.rate')} value={formatRate(status?.uploadRate ?? 0)} />
      </div>
      {activeNeighbors(status) === 0 && (
        <p className="small" data-testid="seed-idle">
          {t('seed.idle')}
        </p>
      )}
      <p className="muted small">{t('seed.staysShared')}</p>
    </div>
  );
}

/** Files of a complete share: save buttons and each file's SHA-256. */
export function CompleteFiles({ share, isDownload }: { share: ShareSummary; isDownload: boolean }) {
  const t = useT();
  return (
    <div className="card complete">
      {isDownload && (
        <div className="done" data-testid="download-complete">
          <svg viewBox="0 0 24 24" aria-hidden="true">
            <path d="m5 13 4 4L19 7" />
          </svg>
          {t('download.complete')}
        </div>
      )}
      <p className="muted small">{t(isDownload ? 'download.verifyHint' : 'share.verifyHint')}</p>
      <ul className="files">
        {share.files.map((f, i) => (
          <li key={i}>
            <div className="file-head">
              <span className="file-name">
                <FileName name={f.name} />
              </span>
              <span className="muted">{formatBytes(f.size)}</span>
              <SaveButton share={share} fileIndex={i} />
            </div>
            {share.sha256?.[i] && (
              <div className="hash">
                <span className="muted small">SHA-256</span>
                <code data-testid="file-sha256">{share.sha256[i]}</code>
              </div>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** 'handed': given to the browser as a download (a Blob); where it lands is the browser's business. */
type SaveState =
  | { state: 'idle' }
  | { state: 'saving'; pct: number }
  | { state: 'saved' }
  | { state: 'handed' }
  | { state: 'failed'; detail: string };

/** Save button of one file, with what the save is doing (streaming saves take a while). */
function SaveButton({ share, fileIndex }: { share: ShareSummary; fileIndex: number }) {
  const t = useT();
  const [save, setSave] = useState<SaveState>({ state: 'idle' });
  const start = async () => {
    setSave({ state: 'saving', pct: 0 });
    try {
      const outcome = await saveFile(runtime(), share, fileIndex, (written, total) =>
        setSave({ state: 'saving', pct: total > 0 ? Math.floor((written / total) * 100) : 100 }),
      );
      setSave(
        outcome === 'streamed' ? { state: 'saved' } : outcome === 'blob' ? { state: 'handed' } : { state: 'idle' },
      );
    } catch (err) {
      setSave({ state: 'failed', detail: (err as Error).message || String(err) });
    }
  };
  return (
    <>
      <button
        type="button"
        className="primary"
        data-testid="save-file"
        aria-label={t('download.saveName', { name: displayName(share.files[fileIndex]?.name ?? '').text })}
        disabled={save.state === 'saving'}
        onClick={() => void start()}
      >
        {t('download.save')}
      </button>
      {save.state !== 'idle' && (
        <span
          className={`save-status small ${save.state === 'failed' ? 'error' : 'muted'}`}
          data-testid="save-status"
          data-state={save.state}
          role="status"
        >
          {save.state === 'saving'
            ? t('download.saving', { pct: save.pct })
            : save.state === 'saved'
              ? t('download.saved')
              : save.state === 'handed'
                ? t('download.handed')
                : t('download.saveFailed', { detail: save.detail })}
        </span>
      )}
    </>
  );
}
