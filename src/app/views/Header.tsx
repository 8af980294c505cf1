import { LANGUAGES, useLanguage, useT, type Language } from '../i18n';
import { usePath } from '../router';
import { useAppStore } from '../state/store';

/** "EN | 中文": the language switch, kept in localStorage by src/app/i18n. */
export function LanguageSwitch() {
  const lang = useLanguage((s) => s.lang);
  const setLang = useLanguage((s) => s.setLang);
  const t = useT();
  return (
    <div className="lang-switch" role="group" aria-label={t('lang.label')}>
      {(Object.keys(LANGUAGES) as Language[]).map((l) => (
        <button
          key={l}
          type="button"
          className={l === lang ? 'active' : ''}
          aria-pressed={l === lang}
          onClick={() => setLang(l)}
        >
          {LANGUAGES[l]}
        </button>
      ))}
    </div>
  );
}

/** The tracker connection as a small status pill. */
export function TrackerPill() {
  const t = useT();
  const status = useAppStore((s) => s.tracker);
  return (
    <span
      className={`pill pill-${status}`}
      data-testid="tracker-status"
      data-status={status}
      title={t(`tracker.${status}.hint`)}
    >
      <span className="dot" aria-hidden="true" />
      {t(`tracker.${status}`)}
    </span>
  );
}

export function Header() {
  const t = useT();
  const path = usePath();
  return (
    <header className="header">
      <a className="brand" href="#/">
        <img src="/favicon.svg" alt="" width={28} height={28} />
        <h1>{t('app.title')}</h1>
      </a>
      <nav className="nav">
        <a href="#/" className={path === '/' ? 'active' : ''} aria-current={path === '/' ? 'page' : undefined}>
          {t('nav.share')}
        </a>
        <a
          href="#/files"
          className={path === '/files' ? 'active' : ''}
          aria-current={path === '/files' ? 'page' : undefined}
        >
          {t('nav.files')}
        </a>
      </nav>
      <div className="header-right">
        <TrackerPill />
        <LanguageSwitch />
      </div>
    </header>
  );
}
