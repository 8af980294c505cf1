import { useEffect, useState } from 'react';
import { formatBytes } from '../format';
import { useT, type StringKey } from '../i18n';
import type { ConnectFailure } from '../net/ice-path';
import { maybeRuntime } from '../runtime-instance';
import { useAppStore, type ShareProblem } from '../state/store';
import { displayName } from '../display-name';

const PROBLEM_TEXT: Record<ShareProblem['code'], StringKey> = {
  'storage-full': 'problem.storageFull',
  'bad-metadata': 'problem.badMetadata',
  'storage-failed': 'problem.storageFailed',
  'not-found': 'problem.notFound',
  internal: 'problem.internal',
  'no-peers': 'problem.noPeers',
  'connect-failed': 'problem.connectFailed',
  'source-changed': 'problem.sourceChanged',
};

const FAILURE_TEXT: Record<ConnectFailure, StringKey> = {
  'needs-relay': 'connect.needsRelay',
  'relay-failed': 'connect.relayFailed',
  'no-candidates': 'connect.noCandidates',
  'not-holder': 'connect.notHolder',
};

/** Served by the tracker (signaling/http-routes.ts): the section on connections that fail. */
export const DEPLOY_DOC_URL = '/docs/DEPLOY.md';

function DeployDocLink() {
  const t = useT();
  return (
    <a className="doc-link" data-testid="deploy-doc-link" href={DEPLOY_DOC_URL} target="_blank" rel="noreferrer">
      {t('connect.docLink')}
    </a>
  );
}

/** The sharer's (or any peer's) side of failing connections: N people can't reach this browser, and why. */
export function UnreachableNotice({
  count,
  failure,
  notHolders = 0,
}: {
  count: number;
  failure: ConnectFailure | undefined;
  /** Of the failed connections, those refused by peer-auth. */
  notHolders?: number;
}) {
  const t = useT();
  return (
    <div
      className="notice notice-warn"
      role="status"
      data-testid="unreachable"
      data-count={count}
      data-failure={failure ?? ''}
      data-not-holders={notHolders}
    >
      {t('connect.tryingToReach', { count })} {failure && t(FAILURE_TEXT[failure])}{' '}
      {notHolders > 0 && failure !== 'not-holder' && t('connect.notHolder')} <DeployDocLink />
    </div>
  );
}

export function ProblemNotice({ problem }: { problem: ShareProblem }) {
  const t = useT();
  const tone = problem.code === 'no-peers' ? 'info' : 'error';
  return (
    <div
      className={`notice notice-${tone}`}
      role={tone === 'error' ? 'alert' : 'status'}
      data-testid={`problem-${problem.code}`}
      data-failure={problem.failure ?? ''}
    >
      {problem.room ? (
        <span data-testid="storage-shortfall" data-needed={problem.room.needed} data-free={problem.room.free}>
          {t('problem.storageShortfall', {
            needed: formatBytes(problem.room.needed),
            free: formatBytes(problem.room.free),
          })}
        </span>
      ) : problem.failure ? (
        <>
          {t(FAILURE_TEXT[problem.failure])} <DeployDocLink />
        </>
      ) : (
        t(PROBLEM_TEXT[problem.code])
      )}
      {problem.detail && tone === 'error' && <small className="detail">{problem.detail}</small>}
    </div>
  );
}

/** Re-renders every second (for a countdown). */
function useNow(): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

/**
 * The tracker is unreachable: when the client tries again, and "Retry now" for a user who knows
 * it is back. "Reconnecting…" shows while an attempt is under way, and for at least 600 ms after a
 * click so a refused attempt (a few ms) is still seen to have happened.
 */
function TrackerDownNotice() {
  const t = useT();
  const retryAt = useAppStore((s) => s.trackerRetryAt);
  const [clicked, setClicked] = useState(false);
  const now = useNow();
  const trying = clicked || retryAt === undefined;
  const retry = async () => {
    setClicked(true);
    await Promise.all([maybeRuntime()?.retryTracker(), new Promise((r) => setTimeout(r, 600))]);
    setClicked(false);
  };
  return (
    <div className="notice notice-warn" role="status" data-testid="tracker-down" data-next-retry={retryAt ?? ''}>
      {t('tracker.down')}
      <span className="notice-actions">
        {trying ? (
          <span data-testid="tracker-reconnecting">{t('tracker.reconnectingNow')}</span>
        ) : (
          // Not announced every second: the notice is a live region, the countdown is not.
          <span data-testid="tracker-next-try" aria-live="off">
            {t('tracker.nextTry', { seconds: Math.max(1, Math.ceil((retryAt - now) / 1000)) })}
          </span>
        )}
        <button type="button" data-testid="tracker-retry" disabled={trying} onClick={() => void retry()}>
          {t('tracker.retryNow')}
        </button>
      </span>
    </div>
  );
}

/** Page-wide notices: a removal that can still be undone, the tracker is unreachable, the worker is restarting or gave up. */
export function GlobalNotices() {
  const t = useT();
  const tracker = useAppStore((s) => s.tracker);
  const worker = useAppStore((s) => s.worker);
  const removing = useAppStore((s) => s.removing);
  return (
    <>
      {[...removing].map(([swarmId, { name }]) => (
        <div key={swarmId} className="notice notice-info" role="status" data-testid="removed-notice">
          <span className="notice-actions">
            <span>{name ? t('files.removed', { name: displayName(name).text }) : t('files.removedUnnamed')}</span>
            <button type="button" data-testid="undo-remove" onClick={() => maybeRuntime()?.undoRemove(swarmId)}>
              {t('files.undo')}
            </button>
          </span>
        </div>
      ))}
      {(tracker === 'reconnecting' || tracker === 'closed') && <TrackerDownNotice />}
      {worker === 'restarting' && (
        <div className="notice notice-warn" role="status" data-testid="worker-restarting">
          {t('worker.restarting')}
        </div>
      )}
      {worker === 'failed' && (
        <div className="notice notice-error" role="alert" data-testid="worker-failed">
          {t('worker.failed')}
        </div>
      )}
    </>
  );
}
