import type { Locale } from './locale.js';

/** Dates, times and numbers written the way the console's language writes them. */
export interface Formatters {
  /** Date and time, medium length (e.g. "Dec 5, 2026, 2:03:04 PM" / "2026年12月5日 14:03:04"). */
  dateTime: (value: Date | string) => string;
  /** Time of day with seconds. */
  time: (value: Date | string) => string;
  /** Hours and minutes, as beside a chat message. */
  shortTime: (value: Date) => string;
  /** The full date and time, as a message's tooltip. */
  fullDateTime: (value: Date) => string;
  /** A number with the language's grouping (1,234). */
  number: (value: number) => string;
}

function toDate(value: Date | string): Date | undefined {
  const date = typeof value === 'string' ? new Date(value) : value;
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** Formatters for one language; a text that is not a date is shown as it came. */
export function createFormatters(locale: Locale): Formatters {
  const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium' });
  const time = new Intl.DateTimeFormat(locale, { timeStyle: 'medium' });
  const shortTime = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' });
  const fullDateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'full', timeStyle: 'medium' });
  const number = new Intl.NumberFormat(locale);
  const orText =
    (format: Intl.DateTimeFormat) =>
    (value: Date | string): string => {
      const date = toDate(value);
      return date === undefined ? String(value) : format.format(date);
    };
  return {
    dateTime: orText(dateTime),
    time: orText(time),
    shortTime: (value) => shortTime.format(value),
    fullDateTime: (value) => fullDateTime.format(value),
    number: (value) => number.format(value),
  };
}
