import { useT } from './i18n';

/** Placeholder shell: the drop zone. The browser-app issue builds the real views. */
export function App() {
  const t = useT();
  return (
    <main className="page">
      <h1>{t('app.title')}</h1>
      <label className="dropzone">
        <span>{t('share.drop')}</span>
        <input type="file" multiple data-testid="share-input" />
      </label>
    </main>
  );
}
