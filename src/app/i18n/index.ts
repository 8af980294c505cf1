/**
 * One place for every UI string: `useT()` in components, `t()` elsewhere. The language switch
 * changes `useLanguage`; the choice is kept in localStorage.
 */
import { create } from 'zustand';
import { appStrings } from './strings-app';
import { classroomStrings } from './strings-classroom';

export const LANGUAGES = { en: 'English', 'zh-TW': '繁體中文' } as const;
export type Language = keyof typeof LANGUAGES;

const strings = {
  en: { ...appStrings.en, ...classroomStrings.en },
  'zh-TW': { ...appStrings['zh-TW'], ...classroomStrings['zh-TW'] },
};
export type StringKey = keyof (typeof strings)['en'];

function initialLanguage(): Language {
  const saved = globalThis.localStorage?.getItem('swarmdrop.lang');
  if (saved === 'en' || saved === 'zh-TW') return saved;
  return globalThis.navigator?.language?.startsWith('zh') ? 'zh-TW' : 'en';
}

interface LanguageState {
  lang: Language;
  setLang: (lang: Language) => void;
}

export const useLanguage = create<LanguageState>((set) => ({
  lang: initialLanguage(),
  setLang(lang) {
    globalThis.localStorage?.setItem('swarmdrop.lang', lang);
    document.documentElement.lang = lang;
    set({ lang });
  },
}));

/** Translates `key`, filling `{name}` placeholders from `vars`. Falls back to English. */
export function t(key: StringKey, vars?: Record<string, string | number>, lang = useLanguage.getState().lang): string {
  const text: string = (strings[lang] as Record<string, string>)[key] ?? strings.en[key] ?? key;
  return vars ? text.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m)) : text;
}

/** The translate function for the current language; re-renders when the language changes. */
export function useT(): (key: StringKey, vars?: Record<string, string | number>) => string {
  const lang = useLanguage((s) => s.lang);
  return (key, vars) => t(key, vars, lang);
}
