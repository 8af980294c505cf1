import { useState } from 'react';
import type { ShareSummary } from '../../worker/protocol';
import { useT } from '../i18n';
import { runtime } from '../runtime-instance';

/**
 * A share seeded straight from the sharer's files (file handles, no copy): after a reload the
 * browser wants one click before the page reads them again.
 */
export function AccessPanel({ share }: { share: ShareSummary }) {
  const t = useT();
  const [refused, setRefused] = useState(false);
  if (share.backing !== 'handles') return null;
  const waiting = share.access === 'needs-permission';
  return (
    <div className="card copy-panel" data-testid="share-backing" data-access={waiting ? 'needs-permission' : 'granted'}>
      <p className="small muted">{t('share.allowAgainHint')}</p>
      {waiting && (
        <>
          <p className="small">{t('problem.needsPermission')}</p>
          <button
            type="button"
            className="primary"
            data-testid="allow-access"
            onClick={() =>
              void runtime()
                .allowAccessAgain(share.swarmId)
                .then((ok) => setRefused(!ok))
            }
          >
            {t('share.allowAgain')}
          </button>
          {refused && <span className="small error">{t('problem.needsPermission')}</span>}
        </>
      )}
    </div>
  );
}
