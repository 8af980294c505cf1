import { useEffect, useMemo, useState } from 'react';
import type { LinkProblem } from '../../protocol/share-keys';
import { readShareLink } from '../share-link';
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

/** A link that is cut or altered, or of an older version (`#/d/...`): a plain message. */
export function BadLink({ problem = 'malformed' }: { problem?: LinkProblem }) {
  const t = useT();
  const old = problem === 'old-version';
  return (
    <section className="card" data-testid="bad-link" data-problem={problem}>
      <h2>{t(old ? 'link.oldTitle' : 'link.badTitle')}</h2>
      <p>{t(old ? 'link.oldText' : 'link.badText')}</p>
      <a className="button primary" href="#/">
        {t('link.goHome')}
      </a>
    </section>
  );
}

/** One share: the sharer's link and seeding panel, or a download's progress, then its files. */
export function ShareView({ secret }: { secret: string }) {
  const t = useT();
  const link = useMemo(() => readShareLink(secret), [secret]);
  const valid = link.ok;
  const id = link.ok ? link.keys.swarmId : '';
  const workerReady = useAppStore((s) => s.worker === 'ready');
  const share = useAppStore((s) => s.shares.get(id));
  const status = useAppStore((s) => s.status.get(id));
  const links = useAppStore((s) => s.links.get(id));
  const problem = useAppStore((s) => s.problems.get(id));
  const [openedAt] = useState(() => Date.now());
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    if (valid && workerReady) void maybeRuntime()?.openShare(secret);
  }, [secret, valid, workerReady]);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);

  if (!link.ok) return <BadLink problem={link.problem} />;

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
      {share && !isDownload && <SharePanel secret={secret} />}
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
      {share && isDownload && share.hasMetadata && <SharePanel secret={secret} />}
    </section>
  );
}
