/** The languages the console speaks. */
export const LOCALES = ['en', 'zh-CN'] as const;

/** One of {@link LOCALES}; also the value of `<html lang>`. */
export type Locale = (typeof LOCALES)[number];

/** The language used when nothing else applies, and for keys a catalogue lacks. */
export const DEFAULT_LOCALE: Locale = 'en';

const STORAGE_KEY = 'botwire-locale';

/** The name of each language in itself, as the language switch shows it. */
export const LOCALE_NAMES: Readonly<Record<Locale, string>> = {
  en: 'English',
  'zh-CN': '简体中文',
};

/** Whether `value` is one of the console's languages. */
export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/**
 * The console's language for the browser's preferred languages (`navigator.languages`, best
 * first): the first that is Chinese (any `zh` tag: zh, zh-CN, zh-TW, zh-Hans…) gives `zh-CN`,
 * the first that is English gives `en`; with neither, English.
 */
export function detectLocale(languages: readonly string[]): Locale {
  for (const language of languages) {
    const primary = language.toLowerCase().split(/[-_]/)[0];
    if (primary === 'zh') return 'zh-CN';
    if (primary === 'en') return 'en';
  }
  return DEFAULT_LOCALE;
}

function storage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}

/** The language chosen with the switch earlier, if any (and storage is on). */
export function storedLocale(): Locale | undefined {
  const value = storage()?.getItem(STORAGE_KEY);
  return isLocale(value) ? value : undefined;
}

/** Keeps the choice for the next visit. */
export function storeLocale(locale: Locale): void {
  storage()?.setItem(STORAGE_KEY, locale);
}

/** The language to start with: the stored choice, else the browser's. */
export function initialLocale(): Locale {
  return storedLocale() ?? detectLocale(navigator.languages ?? [navigator.language]);
}

/** Tells the document (screen readers, fonts, hyphenation) which language it is in. */
export function applyLocale(locale: Locale): void {
  document.documentElement.lang = locale;
}
