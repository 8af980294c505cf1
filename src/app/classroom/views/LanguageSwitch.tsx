/** English / 繁體中文 switch; the choice applies to the whole app (src/app/i18n). */
import { LANGUAGES, useLanguage, type Language } from '../../i18n';

export function LanguageSwitch() {
  const { lang, setLang } = useLanguage();
  return (
    <div className="cls-lang" role="group" aria-label="Language / 語言" data-testid="language-switch">
      {(Object.keys(LANGUAGES) as Language[]).map((l) => (
        <button key={l} type="button" aria-pressed={l === lang} onClick={() => setLang(l)}>
          {LANGUAGES[l]}
        </button>
      ))}
    </div>
  );
}
