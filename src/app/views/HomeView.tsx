import { useState, type DragEvent } from 'react';
import { useT } from '../i18n';
import { RelayOnlySetting } from './RelayOnlySetting';
import { formatBytes } from '../format';
import { navigate } from '../router';
import { sharePath } from '../paths';
import { runtime } from '../runtime-instance';
import { useAppStore } from '../state/store';
import { ProblemNotice } from './Notices';
import { ProgressBar } from './ProgressBar';

async function share(files: File[]): Promise<void> {
  if (files.length === 0) return;
  const id = await runtime().shareFiles(files);
  if (id) navigate(sharePath(id));
}

/** The drop zone: several files at once, by drag and drop or the file input. */
export function HomeView() {
  const t = useT();
  const hashing = useAppStore((s) => s.hashing);
  const error = useAppStore((s) => s.shareError);
  const workerReady = useAppStore((s) => s.worker === 'ready');
  const [over, setOver] = useState(false);

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    void share([...e.dataTransfer.files]);
  };
  const pct = hashing && hashing.total > 0 ? Math.floor((hashing.done / hashing.total) * 100) : 0;

  return (
    <section className="home">
      <p className="tagline">{t('app.tagline')}</p>
      <label
        className={`dropzone${over ? ' over' : ''}${hashing ? ' busy' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
      >
        <svg className="drop-icon" viewBox="0 0 24 24" aria-hidden="true">
          <path d="M12 16V4m0 0-4 4m4-4 4 4M4 16v2a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-2" />
        </svg>
        <span className="drop-title">{t('share.drop')}</span>
        <span className="drop-hint">{t('share.dropHint')}</span>
        <span className="button primary pick" aria-hidden="true">
          {t('share.pick')}
        </span>
        <input
          type="file"
          className="visually-hidden"
          multiple
          data-testid="share-input"
          disabled={!!hashing || !workerReady}
          onChange={(e) => {
            const files = [...(e.currentTarget.files ?? [])];
            e.currentTarget.value = '';
            void share(files);
          }}
        />
      </label>
      {hashing && (
        <div className="card hashing" data-testid="hashing">
          <div className="row">
            <span>{t('share.hashing')}</span>
            <span className="pct">
              <span className="muted small">
                {formatBytes(hashing.done)} / {formatBytes(hashing.total)}
              </span>{' '}
              {pct}%
            </span>
          </div>
          <ProgressBar pct={pct} label={t('share.hashing')} />
        </div>
      )}
      {error && <ProblemNotice problem={error} />}
      <ol className="how">
        <li>
          <strong>{t('how.1.title')}</strong> {t('how.1')}
        </li>
        <li>
          <strong>{t('how.2.title')}</strong> {t('how.2')}
        </li>
        <li>
          <strong>{t('how.3.title')}</strong> {t('how.3')}
        </li>
      </ol>
      <RelayOnlySetting />
    </section>
  );
}
