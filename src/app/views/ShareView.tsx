import { useEffect, useState } from 'react';
import { SWARM_ID_PATTERN } from '../../protocol/tracker';
import { formatBytes } from '../format';
import { useT } from '../i18n';
import { maybeRuntime } from '../runtime-instance';
import { useAppStore, type ShareProblem } from '../state/store';
import { NeighborTable } from './NeighborTable';
import { ProblemNotice, UnreachableNotice } from './Notices';
import { SharePanel } from './SharePanel';
import { ClassroomToggle } from '../classroom/views/ClassroomToggle';
import { AccessPanel } from './AccessPanel';
import { CopyPanel } from './CopyPanel';
import { CompleteFiles, DownloadPanel, SeedingPanel, activeNeighbors } from './TransferPanels';
import { stopsTransfer } from './transfer-figures';
import { FileName } from './FileName';

/** A link whose id is not a 43-character base64url info hash. */
export function BadLink() {
  const t = useT();
  return (
    <section className="card" data-testid="bad-link">
      <h2>{t('link.badTitle')}</h2>
      <p>{t('link.badText')}</p>
      <a className="button primary" href="#/">
        {t('link.goHome')}
      </a>
    </section>
  );
}

/** One share: the sharer's link and seeding panel, or a download's progress, then its files. */
export function ShareView({ id }: { id: string }) {
  const t = useT();
  const valid = SWARM_ID_PATTERN.test(id);
  const workerReady = useAppStore((s) => s.worker === 'ready');
  const share = useAppStore((s) => s.shares.get(id));
  const status = useAppStore((s) => s.status.get(id));
  const links = useAppStore((s) => s.links.get(id));
  const problem = useAppStore((s) => s.problems.get(id));
  const [openedAt] = useState(() => Date.now());
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    if (valid && workerReady) void maybeRuntime()?.openShare(id);
  }, [id, valid, workerReady]);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);

  if (!valid) return <BadLink />;

  const complete = !!(share?.complete || status?.complete);
  const isDownload = share?.role === 'download';
  const neighbors = activeNeighbors(status);
  let waiting: ShareProblem | undefined;
  // Not after a problem that stopped the transfer: it is not waiting for anyone then.
  if (!complete && !stopsTransfer(problem) && neighbors === 0 && (links?.connected ?? 0) === 0) {
    waiting = (links?.failed ?? 0) > 0 ? { code: 'connect-failed', failure: links?.failure } : { code: 'no-peers' };
  }
  // After 15 s with nobody at all, "waiting" becomes "nobody who has these files is online".
  const nobodyOnline = waiting?.code === 'no-peers' && now - openedAt > 15_000 && !share?.hasMetadata;

  return (
    <section
      className="share-view"
      data-testid="share-view"
      data-downloaded={status?.downloadedBytes ?? 0}
      data-swarm-has-all={status?.neighborsHaveAll ? 'true' : 'false'}
      data-connected={links?.connected ?? 0}
    >
      <div className="title-block">
        {share?.hasMetadata ? (
          <>
            <h2 data-testid="share-name">
              <FileName name={share.name} />
            </h2>
            <p className="muted">
              {t(share.files.length === 1 ? 'share.summaryOne' : 'share.summary', {
                files: share.files.length,
                size: formatBytes(share.totalSize),
              })}
              {' · '}
              <span data-testid="share-role">
                {isDownload
                  ? t(
                      share.complete
                        ? 'role.download'
                        : stopsTransfer(problem)
                          ? 'download.stopped'
                          : 'role.downloading',
                    )
                  : t('role.seed')}
              </span>
            </p>
          </>
        ) : (
          <>
            <h2>{t('download.fetchingInfo')}</h2>
            <p className="muted">{t('download.fetchingInfoHint')}</p>
          </>
        )}
      </div>
      {problem && <ProblemNotice problem={problem} />}
      {waiting && !nobodyOnline && <ProblemNotice problem={waiting} />}
      {!waiting && (links?.failedPeers ?? 0) > 0 && (
        <UnreachableNotice count={links!.failedPeers} failure={links?.failure} notHolders={links?.notHolders} />
      )}
      {nobodyOnline && (
        <div className="notice notice-warn" role="status" data-testid="unknown-link">
          {t('link.unknown')}
        </div>
      )}
      {share && !isDownload && <SharePanel swarmId={id} />}
      {share && !isDownload && <CopyPanel share={share} status={status} />}
      {share && !isDownload && <AccessPanel share={share} />}
      {share && <ClassroomToggle swarmId={id} isSharer={!isDownload} />}
      {share && isDownload && !complete && share.hasMetadata && (
        <DownloadPanel share={share} status={status} problem={problem} />
      )}
      {share && complete && isDownload && <CompleteFiles share={share} isDownload />}
      {share && (!isDownload || complete) && <SeedingPanel status={status} />}
      {share && complete && !isDownload && <CompleteFiles share={share} isDownload={false} />}
      <NeighborTable status={status} />
      {/* A downloader passes the link on once it knows what it is (before that it holds nothing to give). */}
      {share && isDownload && share.hasMetadata && <SharePanel swarmId={id} />}
    </section>
  );
}
