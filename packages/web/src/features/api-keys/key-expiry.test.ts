import { describe, expect, it } from 'vitest';
import { expiresAtOf, expiryDateBounds, keyStatusOf, toDateInputValue } from './key-expiry.js';
import { createTranslator } from '../../i18n/translate.js';

const NOW = new Date(2030, 0, 15, 10, 30);
const DAY_MS = 24 * 60 * 60 * 1_000;

const t = createTranslator('en');

describe('expiresAtOf', () => {
  it('sends no expiry for never, and counts preset days from now', () => {
    expect(expiresAtOf('never', '', NOW, t)).toEqual({ ok: true, expiresAt: null });
    expect(expiresAtOf('30', '', NOW, t)).toEqual({
      ok: true,
      expiresAt: new Date(NOW.getTime() + 30 * DAY_MS).toISOString(),
    });
    expect(expiresAtOf('90', '', NOW, t)).toEqual({
      ok: true,
      expiresAt: new Date(NOW.getTime() + 90 * DAY_MS).toISOString(),
    });
  });

  it('lets a picked date last to the end of that day, in local time', () => {
    expect(expiresAtOf('date', '2030-02-01', NOW, t)).toEqual({
      ok: true,
      expiresAt: new Date(2030, 1, 1, 23, 59, 59, 999).toISOString(),
    });
  });

  it('refuses a missing date, today or earlier, and a date past a year', () => {
    expect(expiresAtOf('date', '', NOW, t)).toEqual({
      ok: false,
      error: 'Pick the date the key stops working.',
    });
    expect(expiresAtOf('date', '2030-01-15', NOW, t)).toEqual({
      ok: false,
      error: 'Pick a date after today.',
    });
    const { max } = expiryDateBounds(NOW);
    expect(expiresAtOf('date', max, NOW, t).ok).toBe(true);
    expect(expiresAtOf('date', '2031-01-16', NOW, t)).toEqual({
      ok: false,
      error: 'Pick a date at most a year ahead.',
    });
    expect(expiresAtOf('date', '', NOW, createTranslator('zh-CN'))).toEqual({
      ok: false,
      error: '请选择密钥失效的日期。',
    });
  });
});

describe('expiryDateBounds', () => {
  it('offers tomorrow to 365 days ahead', () => {
    expect(expiryDateBounds(NOW)).toEqual({ min: '2030-01-16', max: '2031-01-15' });
    expect(toDateInputValue(new Date(2030, 8, 5))).toBe('2030-09-05');
  });
});

describe('keyStatusOf', () => {
  it('says revoked before expired', () => {
    expect(keyStatusOf({ revoked_at: null, expired: false })).toBe('active');
    expect(keyStatusOf({ revoked_at: null, expired: true })).toBe('expired');
    expect(keyStatusOf({ revoked_at: '2030-01-01T00:00:00Z', expired: true })).toBe('revoked');
  });
});
