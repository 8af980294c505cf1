import { formatBytes } from '../format';
import { useT, type StringKey } from '../i18n';
import { useAppStore, type ShareProblem } from '../state/store';

const PROBLEM_TEXT: Record<ShareProblem['code'], StringKey> = {
  'storage-full': 'problem.storageFull',
  'bad-metadata': 'problem.badMetadata',
  'storage-failed': 'problem.storageFailed',
  'not-found': 'problem.notFound',
  internal: 'problem.internal',
  'no-peers': 'problem.noPeers',
  'connect-failed': 'problem.connectFailed',
};

export function ProblemNotice({ problem }: { problem: ShareProblem }) {
  const t = useT();
  const tone = problem.code === 'no-peers' ? 'info' : 'error';
  return (
    <div className={`notice notice-${tone}`} role={tone === 'error' ? 'alert' : 'status'} data-testid={`problem-${problem.code}`}>
      {problem.room ? (
        <span data-testid="storage-shortfall" data-needed={problem.room.needed} data-free={problem.room.free}>
          {t('problem.storageShortfall', { needed: formatBytes(problem.room.needed), free: formatBytes(problem.room.free) })}
        </span>
      ) : (
        t(PROBLEM_TEXT[problem.code])
      )}
      {problem.detail && tone === 'error' && <small className="detail">{problem.detail}</small>}
    </div>
  );
}

/** Page-wide notices: the tracker is unreachable, the worker is restarting or gave up. */
export function GlobalNotices() {
  const t = useT();
  const tracker = useAppStore((s) => s.tracker);
  const worker = useAppStore((s) => s.worker);
  return (
    <>
      {(tracker === 'reconnecting' || tracker === 'closed') && (
        <div className="notice notice-warn" role="status" data-testid="tracker-down">
          {t('tracker.down')}
        </div>
      )}
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
