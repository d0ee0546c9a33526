import { catalogues, type MessageKey } from './catalogues.js';
import { DEFAULT_LOCALE, type Locale } from './locale.js';
import type { Message, MessageParams } from './message.js';

/** Looks up a message and fills in its placeholders. */
export type Translate = (key: MessageKey, params?: MessageParams) => string;

const PLACEHOLDER = /\{(\w+)\}/g;

/** Replaces each `{name}` with its parameter; an unknown placeholder stays as written. */
export function interpolate(text: string, params: MessageParams | undefined): string {
  if (params === undefined) return text;
  return text.replace(PLACEHOLDER, (whole, name: string) => {
    const value = params[name];
    return value === undefined ? whole : String(value);
  });
}

/** The text of a message for `count` (plural messages), or the text itself. */
function select(message: Message, rules: Intl.PluralRules, count: unknown): string {
  if (typeof message === 'string') return message;
  const category = typeof count === 'number' ? rules.select(count) : 'other';
  return message[category] ?? message.other;
}

/**
 * A translator for one language. A key the language lacks (possible only if a catalogue is
 * loaded from outside the type system) falls back to English, then to the key itself, so the
 * console never shows an empty label.
 */
export function createTranslator(locale: Locale): Translate {
  const catalogue = catalogues[locale];
  const fallback = catalogues[DEFAULT_LOCALE];
  const rules = new Intl.PluralRules(locale);
  const fallbackRules = new Intl.PluralRules(DEFAULT_LOCALE);
  return (key, params) => {
    const own = (catalogue as Readonly<Record<string, Message | undefined>>)[key];
    if (own !== undefined) return interpolate(select(own, rules, params?.count), params);
    const english = (fallback as Readonly<Record<string, Message | undefined>>)[key];
    if (english !== undefined) {
      return interpolate(select(english, fallbackRules, params?.count), params);
    }
    return key;
  };
}
