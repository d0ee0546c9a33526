import type { Translate } from '../../i18n/translate.js';

/** How long a new key lasts, as chosen in the create-key form. */
export type ExpiryChoice = 'never' | '7' | '30' | '90' | 'date';

/** The choices, in the order the form offers them, in the console's language. */
export function expiryChoices(t: Translate): readonly { value: ExpiryChoice; label: string }[] {
  return [
    { value: 'never', label: t('expiry.never') },
    { value: '7', label: t('expiry.days', { count: 7 }) },
    { value: '30', label: t('expiry.days', { count: 30 }) },
    { value: '90', label: t('expiry.days', { count: 90 }) },
    { value: 'date', label: t('expiry.onDate') },
  ];
}

const DAY_MS = 24 * 60 * 60 * 1_000;
/**
 * The last date offered: the server takes expiries at most 366 days away, and a date's key
 * lasts to the end of that day, so 365 days from today always fits.
 */
const MAX_DAYS_AHEAD = 365;

/** The `expires_at` to send, or why the form cannot be sent. */
export type ExpiryResult = { ok: true; expiresAt: string | null } | { ok: false; error: string };

/** `YYYY-MM-DD` of `date` in the browser's time zone, as `<input type="date">` writes it. */
export function toDateInputValue(date: Date): string {
  const month = String(date.getMonth() + 1).padStart(2, '0');
  const day = String(date.getDate()).padStart(2, '0');
  return `${date.getFullYear()}-${month}-${day}`;
}

/** The first and last dates the date input offers: tomorrow to 365 days ahead. */
export function expiryDateBounds(now: Date): { min: string; max: string } {
  return {
    min: toDateInputValue(new Date(now.getTime() + DAY_MS)),
    max: toDateInputValue(new Date(now.getTime() + MAX_DAYS_AHEAD * DAY_MS)),
  };
}

/**
 * The `expires_at` for a choice: presets count days from `now`; a date lasts to the end of
 * that day in the browser's time zone (the last moment the person picking it would expect).
 * Why a date cannot be used is worded with `t`.
 */
export function expiresAtOf(
  choice: ExpiryChoice,
  date: string,
  now: Date,
  t: Translate,
): ExpiryResult {
  switch (choice) {
    case 'never':
      return { ok: true, expiresAt: null };
    case '7':
    case '30':
    case '90':
      return {
        ok: true,
        expiresAt: new Date(now.getTime() + Number(choice) * DAY_MS).toISOString(),
      };
    case 'date': {
      const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
      if (match === null) return { ok: false, error: t('expiry.missing') };
      const [, year, month, day] = match.map(Number);
      const end = new Date(year ?? 0, (month ?? 1) - 1, day ?? 1, 23, 59, 59, 999);
      const { min, max } = expiryDateBounds(now);
      if (date < min) return { ok: false, error: t('expiry.past') };
      if (date > max || Number.isNaN(end.getTime())) {
        return { ok: false, error: t('expiry.tooFar') };
      }
      return { ok: true, expiresAt: end.toISOString() };
    }
  }
}

/** What the list says about a key's state. */
export type KeyStatus = 'active' | 'expired' | 'revoked';

/** Revoked wins over expired: a revoked key can be deleted, an expired one not yet. */
export function keyStatusOf(key: { revoked_at: string | null; expired: boolean }): KeyStatus {
  if (key.revoked_at !== null) return 'revoked';
  return key.expired ? 'expired' : 'active';
}
