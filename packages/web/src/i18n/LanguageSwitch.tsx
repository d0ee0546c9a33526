import { useI18n } from './i18n-context.js';
import { LOCALE_NAMES, LOCALES, isLocale } from './locale.js';

/**
 * The console's language: a native select, labelled "Language" in the current language and
 * naming each language in itself, so a person who cannot read the current one still finds theirs.
 */
export function LanguageSwitch() {
  const { locale, setLocale, t } = useI18n();
  return (
    <label className="flex items-center gap-1 text-sm">
      <span>{t('app.language')}</span>
      <select
        value={locale}
        onChange={(event) => {
          if (isLocale(event.target.value)) setLocale(event.target.value);
        }}
        className="min-h-11 rounded border border-slate-300 bg-white px-1 text-sm focus-visible:outline-2 focus-visible:outline-indigo-600 sm:min-h-8 dark:border-slate-700 dark:bg-slate-900"
      >
        {LOCALES.map((entry) => (
          <option key={entry} value={entry} lang={entry}>
            {LOCALE_NAMES[entry]}
          </option>
        ))}
      </select>
    </label>
  );
}
