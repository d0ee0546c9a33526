import { describe, expect, it } from 'vitest';
import { detectLocale, isLocale } from './locale.js';
import { createFormatters } from './format.js';

describe('detectLocale', () => {
  it('picks Simplified Chinese for any Chinese tag the browser prefers', () => {
    for (const tag of ['zh', 'zh-CN', 'zh-TW', 'zh-Hans-CN', 'zh_HK', 'ZH-cn']) {
      expect(detectLocale([tag, 'en-US'])).toBe('zh-CN');
    }
  });

  it('follows the first language it knows, in the browser’s order', () => {
    expect(detectLocale(['en-GB', 'zh-CN'])).toBe('en');
    expect(detectLocale(['fr-FR', 'zh-CN', 'en'])).toBe('zh-CN');
    expect(detectLocale(['de', 'en-US'])).toBe('en');
  });

  it('falls back to English', () => {
    expect(detectLocale(['fr', 'ja-JP'])).toBe('en');
    expect(detectLocale([])).toBe('en');
  });
});

describe('isLocale', () => {
  it('accepts the console’s languages only', () => {
    expect(isLocale('en')).toBe(true);
    expect(isLocale('zh-CN')).toBe(true);
    expect(isLocale('zh')).toBe(false);
    expect(isLocale(null)).toBe(false);
  });
});

describe('createFormatters', () => {
  it('writes numbers and dates the way the language does', () => {
    const date = new Date(Date.UTC(2026, 11, 5, 14, 3, 4));
    expect(createFormatters('en').number(1234567)).toBe('1,234,567');
    expect(createFormatters('zh-CN').number(1234567)).toBe('1,234,567');
    expect(createFormatters('zh-CN').dateTime(date)).toMatch(/2026年12月5日/);
    expect(createFormatters('en').dateTime(date)).toMatch(/Dec 5, 2026/);
  });

  it('shows text that is not a date as it came', () => {
    expect(createFormatters('en').dateTime('not a date')).toBe('not a date');
  });
});
