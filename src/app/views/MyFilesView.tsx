import { useEffect } from 'react';
import { formatBytes } from '../format';
import { useT } from '../i18n';
import { maybeRuntime, runtime } from '../runtime-instance';
import { useAppStore } from '../state/store';
import { storedBytes } from './CopyPanel';
import { percent } from './TransferPanels';
import { displayName } from '../display-name';
import { FileName } from './FileName';
import { sharePath } from '../paths';

/** Everything this browser holds (shared or downloaded), with storage used and a remove button. */
export function MyFilesView() {
  const t = useT();
  const shares = useAppStore((s) => s.shares);
  const status = useAppStore((s) => s.status);
  const storage = useAppStore((s) => s.storage);
  const removing = useAppStore((s) => s.removing);
  // Kept current while shown: a removal's chunks are deleted some seconds after the click.
  useEffect(() => {
    void maybeRuntime()?.refreshStorage();
    const timer = setInterval(() => void maybeRuntime()?.refreshStorage(), 3_000);
    return () => clearInterval(timer);
  }, []);
  const list = [...shares.values()].filter((s) => !removing.has(s.swarmId)).sort((a, b) => b.createdAt - a.createdAt);

  return (
    <section className="my-files-view">
      <div className="row">
        <h2>{t('files.title')}</h2>
        {storage && (
          <span className="muted" data-testid="storage-used" data-usage={storage.usage}>
            {t('files.storage', { used: formatBytes(storage.usage), quota: formatBytes(storage.quota) })}
          </span>
        )}
      </div>
      {list.length === 0 && <p className="muted card">{t('files.empty')}</p>}
      <ul className="my-files">
        {list.map((s) => (
          <li key={s.swarmId} className="card" data-testid="my-file">
            {s.outdated ? (
              <span className="file-name">{s.hasMetadata ? <FileName name={s.name} /> : t('files.unnamed')}</span>
            ) : (
              <a href={`#${sharePath(s.secret)}`} className="file-name">
                {s.hasMetadata ? <FileName name={s.name} /> : t('files.unnamed')}
              </a>
            )}
            <span className="muted small file-meta">
              {s.role === 'seed' ? t('role.seed') : t(s.complete ? 'role.download' : 'role.downloading')}
              {s.hasMetadata && ` · ${formatBytes(s.totalSize)} · ${percent(s, status.get(s.swarmId))}%`}
              {/* Every share says whether this browser holds a copy of it and how much storage that takes. */}
              <span
                data-testid="my-file-stored"
                data-bytes={storedBytes(s, status.get(s.swarmId))}
                data-copy={s.backing === 'handles' ? 'none' : 'held'}
              >
                {' · '}
                {s.backing === 'handles'
                  ? t('files.noCopy')
                  : t('files.copyHeld', { size: formatBytes(storedBytes(s, status.get(s.swarmId))) })}
              </span>
            </span>
            {s.outdated && (
              <span className="muted small" data-testid="my-file-outdated">
                {t('files.outdated')}
              </span>
            )}
            <button
              type="button"
              className="danger"
              data-testid="remove-share"
              aria-label={t('files.removeName', {
                name: s.hasMetadata ? displayName(s.name).text : t('files.unnamed'),
              })}
              onClick={() => runtime().removeShare(s.swarmId)}
            >
              {t('files.remove')}
            </button>
          </li>
        ))}
      </ul>
      <p className="muted small">{t('files.note')}</p>
    </section>
  );
}
