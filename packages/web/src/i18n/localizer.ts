import { createFormatters, type Formatters } from './format.js';
import type { Locale } from './locale.js';
import { createTranslator, type Translate } from './translate.js';

/**
 * What code outside React needs to word things in the console's language (form validation,
 * status texts): the translator and the formatters. Components get it from `useI18n()`.
 */
export interface Localizer {
  t: Translate;
  format: Formatters;
}

/** The translator and formatters of one language. */
export function createLocalizer(locale: Locale): Localizer {
  return { t: createTranslator(locale), format: createFormatters(locale) };
}
