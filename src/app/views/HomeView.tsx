import { useState, type DragEvent, type MouseEvent } from 'react';
import { useT } from '../i18n';
import { RelayOnlySetting } from './RelayOnlySetting';
import { formatBytes } from '../format';
import { navigate } from '../router';
import { sharePath } from '../paths';
import { runtime } from '../runtime-instance';
import { useAppStore } from '../state/store';
import { ProblemNotice } from './Notices';
import {
  droppedEntries,
  droppedHandles,
  filesFromEntries,
  filesFromInput,
  FolderError,
  shareOrder,
  type PickedFile,
} from '../dropped-files';
import { directoryPicker, filesFromHandles, fromPicker, openFilePicker, type HandleLike } from '../picked-handles';
import { ProgressBar } from './ProgressBar';

async function share(pick: () => PickedFile[] | Promise<PickedFile[]>): Promise<void> {
  let picked: PickedFile[];
  try {
    picked = shareOrder(await pick());
  } catch (err) {
    if (!(err instanceof FolderError)) throw err;
    useAppStore.getState().setShareError({ code: 'bad-files', detail: err.message });
    return;
  }
  if (picked.length === 0) return;
  const inFolder = picked.some((p) => p.path !== p.file.name);
  const handles = picked.every((p) => p.handle) ? picked.map((p) => p.handle) : undefined;
  const id = await runtime().shareFiles(
    picked.map((p) => p.file),
    inFolder ? picked.map((p) => p.path) : undefined,
    handles,
  );
  if (id) navigate(sharePath(id));
}

/** The drop zone: several files or folders at once, by drag and drop or the file and folder inputs. */
export function HomeView() {
  const t = useT();
  const hashing = useAppStore((s) => s.hashing);
  const error = useAppStore((s) => s.shareError);
  const workerReady = useAppStore((s) => s.worker === 'ready');
  const [over, setOver] = useState(false);

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    // Taken now: the DataTransfer is emptied when this handler returns.
    const entries = droppedEntries(e.dataTransfer);
    const handles = droppedHandles(e.dataTransfer);
    const files = [...e.dataTransfer.files];
    void share(async () => {
      // With handles (Chromium), files and folders alike are seeded from the originals, no copy.
      const held = (await handles) as HandleLike[] | undefined;
      if (held) return filesFromHandles(held);
      return entries ? filesFromEntries(entries) : filesFromInput(files);
    });
  };
  /**
   * The buttons open the File System Access pickers where the browser has them (their files come
   * with handles); the click must reach the picker in the same task, as a user gesture. Elsewhere
   * the click opens the file input as usual.
   */
  const pickFiles = (e: MouseEvent<HTMLInputElement>) => {
    const picker = openFilePicker();
    if (!picker) return;
    e.preventDefault();
    void share(() => fromPicker(() => picker({ multiple: true }), filesFromHandles));
  };
  const pickFolder = (e: MouseEvent<HTMLInputElement>) => {
    const picker = directoryPicker();
    if (!picker) return;
    e.preventDefault();
    void share(() =>
      fromPicker(
        () => picker({ mode: 'read' }),
        (dir) => filesFromHandles([dir]),
      ),
    );
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
          onClick={pickFiles}
          onChange={(e) => {
            const files = [...(e.currentTarget.files ?? [])];
            e.currentTarget.value = '';
            void share(() => filesFromInput(files));
          }}
        />
      </label>
      <label className={`button pick-folder${hashing ? ' busy' : ''}`}>
        {t('share.pickFolder')}
        <input
          type="file"
          className="visually-hidden"
          data-testid="share-folder-input"
          disabled={!!hashing || !workerReady}
          onClick={pickFolder}
          ref={(el) => el?.setAttribute('webkitdirectory', '')}
          onChange={(e) => {
            const files = [...(e.currentTarget.files ?? [])];
            e.currentTarget.value = '';
            void share(() => filesFromInput(files));
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
