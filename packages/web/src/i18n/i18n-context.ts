import { createContext, useContext, useEffect, useMemo, useState } from 'react';
import { applyLocale, DEFAULT_LOCALE, initialLocale, storeLocale, type Locale } from './locale.js';
import { createLocalizer, type Localizer } from './localizer.js';

/** The console's language, its translator and formatters, and the switch. */
export interface I18n extends Localizer {
  locale: Locale;
  setLocale: (locale: Locale) => void;
}

/**
 * The language state of the page: starts from the stored choice or the browser's languages,
 * and on a switch stores it and updates `<html lang>` without a reload.
 */
export function useI18nState(): I18n {
  const [locale, setLocaleState] = useState<Locale>(initialLocale);
  const i18n = useMemo(
    () => ({
      locale,
      setLocale: (next: Locale) => {
        storeLocale(next);
        setLocaleState(next);
      },
      ...createLocalizer(locale),
    }),
    [locale],
  );
  useEffect(() => {
    applyLocale(locale);
    document.title = i18n.t('app.documentTitle');
  }, [locale, i18n]);
  return i18n;
}

/**
 * The one language state of the page (main.tsx provides it above everything else). Without a
 * provider (a component rendered alone, as in unit tests) it is English and cannot switch.
 */
export const I18nContext = createContext<I18n>({
  locale: DEFAULT_LOCALE,
  setLocale: () => undefined,
  ...createLocalizer(DEFAULT_LOCALE),
});

/** The page's language, translator `t`, formatters and the switch. */
export function useI18n(): I18n {
  return useContext(I18nContext);
}
