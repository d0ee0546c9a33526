import { describe, expect, it } from 'vitest';
import { en, zhCN } from './catalogues.js';
import type { Message } from './message.js';
import { createTranslator, interpolate } from './translate.js';

describe('interpolate', () => {
  it('fills each placeholder, as often as it appears, and leaves unknown ones as written', () => {
    expect(interpolate('{a} and {b}, {a} again, {c}', { a: 1, b: 'two' })).toBe(
      '1 and two, 1 again, {c}',
    );
    expect(interpolate('no placeholders', undefined)).toBe('no placeholders');
  });
});

describe('createTranslator', () => {
  const english = createTranslator('en');
  const chinese = createTranslator('zh-CN');

  it('looks up the language’s text and fills it in', () => {
    expect(english('pipelines.openChatFor', { name: 'Echo' })).toBe('Open debug chat for Echo');
    expect(chinese('pipelines.openChatFor', { name: 'Echo' })).toBe('打开调试聊天：Echo');
    expect(chinese('app.nav.apiKeys')).toBe('API 密钥');
  });

  it('chooses the plural form with Intl.PluralRules from `count`', () => {
    expect(english('common.characters', { count: 1 })).toBe('1 character');
    expect(english('common.characters', { count: 640 })).toBe('640 characters');
    expect(english('common.characters', { count: 0 })).toBe('0 characters');
    expect(english('frames.shown', { shown: 1, count: 1 })).toBe('1 of 1 frame shown');
    // Chinese has one form for every number.
    expect(chinese('common.characters', { count: 1 })).toBe('1 个字符');
    expect(chinese('frames.shown', { shown: 2, count: 5 })).toBe('显示 2 / 5 帧');
  });

  it('uses the plural’s `other` form without a count', () => {
    expect(english('common.characters')).toBe('{count} characters');
  });

  it('falls back to English, then to the key, for a key a catalogue lacks', () => {
    const zh = zhCN as Record<string, Message>;
    const saved = zh['app.signOut'];
    delete zh['app.signOut'];
    try {
      expect(createTranslator('zh-CN')('app.signOut')).toBe('Sign out');
    } finally {
      if (saved !== undefined) zh['app.signOut'] = saved;
    }
    const unknown = 'no.such.key' as Parameters<typeof english>[0];
    expect(english(unknown)).toBe('no.such.key');
  });
});

/** Every `{name}` in a message, in any of its plural forms. */
function placeholders(message: Message): string[] {
  const texts: readonly (string | undefined)[] =
    typeof message === 'string'
      ? [message]
      : [message.zero, message.one, message.two, message.few, message.many, message.other];
  const names = new Set<string>();
  for (const text of texts) {
    for (const placeholder of (text ?? '').match(/\{\w+\}/g) ?? []) names.add(placeholder);
  }
  return [...names].sort();
}

describe('catalogues', () => {
  it('have the same keys (the types check it too; this catches a cast or a stray key)', () => {
    expect(Object.keys(zhCN).sort()).toEqual(Object.keys(en).sort());
  });

  it('use the same placeholders in every language, so no value goes missing', () => {
    const mismatched = Object.entries(en)
      .map(
        ([key, message]) =>
          [key, placeholders(message), placeholders(zhCN[key as keyof typeof en])] as const,
      )
      .filter(([, english, chinese]) => english.join() !== chinese.join());
    expect(mismatched).toEqual([]);
  });

  it('have no empty text', () => {
    const empty = Object.entries({ ...en }).filter(([key]) => {
      const english = en[key as keyof typeof en];
      const chinese = zhCN[key as keyof typeof en];
      return (
        placeholders(english).length === 0 &&
        [english, chinese].some(
          (message) => (typeof message === 'string' ? message : message.other).trim() === '',
        )
      );
    });
    expect(empty).toEqual([]);
  });
});
