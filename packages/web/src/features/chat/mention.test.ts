import { describe, expect, it } from 'vitest';
import { triggersReply, describeGroupTriggers } from './group-triggers.js';
import { createTranslator } from '../../i18n/translate.js';
import {
  chainText,
  composeMessageChain,
  findMentionQuery,
  mentionMatches,
  removeMentionQuery,
} from './mention.js';

const bot = { target: 'pipe-uuid', display: 'Support bot' };

const t = createTranslator('en');

describe('mention composition', () => {
  it('sends a chosen mention as an At of the pipeline uuid before the text', () => {
    expect(composeMessageChain('  what is up? ', bot)).toEqual([
      { type: 'At', target: 'pipe-uuid', display: 'Support bot' },
      { type: 'Plain', text: ' what is up?' },
    ]);
    expect(chainText(composeMessageChain('what is up?', bot))).toBe('@Support bot what is up?');
  });

  it('sends a mention alone, and plain text without one', () => {
    expect(composeMessageChain('   ', bot)).toEqual([
      { type: 'At', target: 'pipe-uuid', display: 'Support bot' },
    ]);
    expect(composeMessageChain('hello', undefined)).toEqual([{ type: 'Plain', text: 'hello' }]);
  });

  it('opens the picker for an @ at the start or after a space, not inside a word', () => {
    expect(findMentionQuery('@', 1)).toEqual({ start: 0, query: '' });
    expect(findMentionQuery('hi @sup', 7)).toEqual({ start: 3, query: 'sup' });
    expect(findMentionQuery('ops@example.com', 15)).toBeUndefined();
    expect(findMentionQuery('@sup port', 9)).toBeUndefined();
    // The caret decides: with it right after "@su", that is the query.
    expect(findMentionQuery('@sup port', 3)).toEqual({ start: 0, query: 'su' });
  });

  it('removes the typed @query once the mention is chosen', () => {
    const query = findMentionQuery('hi @sup there', 7);
    expect(query).toBeDefined();
    if (query === undefined) return;
    expect(removeMentionQuery('hi @sup there', query, 7)).toEqual({ text: 'hi there', caret: 2 });
    expect(removeMentionQuery('@sup', { start: 0, query: 'sup' }, 4)).toEqual({
      text: '',
      caret: 0,
    });
    expect(removeMentionQuery('a @sx', { start: 2, query: 's' }, 4)).toEqual({
      text: 'a x',
      caret: 2,
    });
  });

  it('matches names case-insensitively anywhere', () => {
    expect(mentionMatches('Support bot', 'BOT')).toBe(true);
    expect(mentionMatches('Support bot', 'xyz')).toBe(false);
  });
});

describe('group triggers', () => {
  const defaults = { mention: true, prefixes: [], probability: 0 };

  it('expects a reply to a mention of the pipeline or websocket-proxy-bot only', () => {
    expect(triggersReply(composeMessageChain('hi', bot), defaults, 'pipe-uuid')).toBe(true);
    const proxy = [{ type: 'At' as const, target: 'websocket-proxy-bot' }];
    expect(triggersReply(proxy, defaults, 'pipe-uuid')).toBe(true);
    const other = [{ type: 'At' as const, target: 'user:2', display: 'bob' }];
    expect(triggersReply(other, defaults, 'pipe-uuid')).toBe(false);
    expect(
      triggersReply(composeMessageChain('hi', bot), { ...defaults, mention: false }, 'pipe-uuid'),
    ).toBe(false);
  });

  it('expects a reply to a prefix after leading spaces, or to everything at probability 1', () => {
    const prefixed = { ...defaults, prefixes: ['/ask'] };
    expect(triggersReply(composeMessageChain('  /ask why', undefined), prefixed, 'p')).toBe(true);
    expect(triggersReply(composeMessageChain('why /ask', undefined), prefixed, 'p')).toBe(false);
    expect(
      triggersReply(
        composeMessageChain('anything', undefined),
        { ...defaults, probability: 1 },
        'p',
      ),
    ).toBe(true);
    expect(
      triggersReply(
        composeMessageChain('anything', undefined),
        { ...defaults, probability: 0.5 },
        'p',
      ),
    ).toBe(false);
  });

  it('describes the pipeline’s actual rules', () => {
    expect(describeGroupTriggers(defaults, 'Bot', t)).toBe(
      'Bot only replies to messages that mention it (@Bot).',
    );
    expect(
      describeGroupTriggers(
        { mention: true, prefixes: ['/ask', 'bot,'], probability: 0.25 },
        'Bot',
        t,
      ),
    ).toBe(
      'Bot only replies to messages that mention it (@Bot) or start with “/ask” or “bot,”. Other messages get a reply 25% of the time.',
    );
    expect(describeGroupTriggers({ ...defaults, probability: 1 }, 'Bot', t)).toBe(
      'Bot replies to every message in this group.',
    );
    expect(
      describeGroupTriggers({ mention: false, prefixes: [], probability: 0 }, 'Bot', t),
    ).toContain('does not reply');
    expect(describeGroupTriggers(defaults, 'Bot', createTranslator('zh-CN'))).toBe(
      'Bot 只回复提及它（@Bot）的消息。',
    );
  });
});
