import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { allMessages } from './messages';

export type Locale = 'zh-CN' | 'en';

const STORAGE_KEY = 'console.locale';

export type Translate = (key: string, vars?: Record<string, string | number>) => string;

interface I18n {
  locale: Locale;
  setLocale: (locale: Locale) => void;
  t: Translate;
}

const I18nContext = createContext<I18n | undefined>(undefined);

function initialLocale(): Locale {
  return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh-CN';
}

/** A message in `locale`; an unknown key shows as itself (a missing message is seen, not hidden). */
export function translate(locale: Locale, key: string, vars?: Record<string, string | number>): string {
  const pair = allMessages[key];
  const text = pair ? pair[locale === 'en' ? 1 : 0] : key;
  return vars ? text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole)) : text;
}

/** zh-CN first; the choice of English is remembered in this browser. */
export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(initialLocale);
  const setLocale = useCallback((next: Locale) => {
    localStorage.setItem(STORAGE_KEY, next);
    document.documentElement.lang = next;
    setLocaleState(next);
  }, []);
  const t = useCallback<Translate>((key, vars) => translate(locale, key, vars), [locale]);
  const value = useMemo(() => ({ locale, setLocale, t }), [locale, setLocale, t]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const i18n = useContext(I18nContext);
  if (!i18n) throw new Error('useI18n outside I18nProvider');
  return i18n;
}

/** `const t = useT(); t('center.lots.title')`. */
export function useT(): Translate {
  return useI18n().t;
}
