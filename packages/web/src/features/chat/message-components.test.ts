import type { ChatMessage } from '@botwire/client';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { reply, run, sent, user } from './chat-fixtures.test-support.js';
import { initialChatState, type ChatState, type PendingMessage } from './chat-state.js';
import { MarkdownReply } from './MarkdownReply.js';
import { MessageItem, NoticeItem, PendingItem } from './MessageItem.js';
import { MessageList } from './MessageList.js';
import { safeUrl } from './safe-url.js';
import { describeFigures } from './ReplyFigures.js';

const noop = (): void => undefined;
const markdown = (text: string): string =>
  renderToStaticMarkup(createElement(MarkdownReply, { text }));
const item = (message: ChatMessage, own = true): string =>
  renderToStaticMarkup(createElement(MessageItem, { message, botName: 'Support bot', own }));
const list = (state: ChatState, typing = false): string =>
  renderToStaticMarkup(
    createElement(MessageList, {
      state,
      typing,
      botName: 'Support bot',
      isOwn: () => true,
      online: true,
      onDiscard: noop,
    }),
  );

describe('MarkdownReply', () => {
  it('renders Markdown and highlights fenced code', () => {
    const html = markdown('**bold**\n\n```js\nconst x = 1;\n```');
    expect(html).toContain('<strong>bold</strong>');
    expect(html).toMatch(
      /<code class="hljs language-js">.*<span class="hljs-keyword">const<\/span>/s,
    );
  });

  it('never renders raw HTML as HTML', () => {
    const html = markdown('hi <script>alert(1)</script> <img src=x onerror=alert(1)>');
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;script&gt;');
  });

  it('drops javascript: and other unsafe links, keeping their text', () => {
    const html = markdown('[click](javascript:alert(1)) [data](data:text/html,x) [rel](/admin)');
    expect(html).not.toContain('href');
    expect(html).not.toContain('javascript:');
    expect(html).toContain('click');
  });

  it('opens safe links in a new tab without opener, referrer or ranking', () => {
    const html = markdown('[docs](https://example.com/a) <mailto:ops@example.com>');
    expect(html).toContain(
      '<a href="https://example.com/a" target="_blank" rel="noopener noreferrer nofollow">docs</a>',
    );
    expect(html).toContain('href="mailto:ops@example.com"');
  });

  it('shows images as links instead of loading them', () => {
    const html = markdown('![cat](https://example.com/cat.png) ![x](javascript:alert(1))');
    expect(html).not.toContain('<img');
    expect(html).toContain('href="https://example.com/cat.png"');
    expect(html).toContain('[Image: x]');
  });

  it('accepts only absolute http(s) and mailto URLs', () => {
    expect(safeUrl('https://example.com')).toBe('https://example.com');
    expect(safeUrl('mailto:a@b.c')).toBe('mailto:a@b.c');
    expect(safeUrl(' javascript:alert(1)')).toBeUndefined();
    expect(safeUrl('\u0000javascript:alert(1)')).toBeUndefined();
    expect(safeUrl('JAVASCRIPT:alert(1)')).toBeUndefined();
    expect(safeUrl('/relative')).toBeUndefined();
  });
});

describe('MessageItem', () => {
  it('names articles by sender and gives each a time with the full date in its title', () => {
    const own = item(user(1, 'hello'));
    expect(own).toMatch(/^<article role="article" aria-label="Message from you"/);
    expect(own).toMatch(
      /<time dateTime="2026-01-01T00:00:00.000Z" title="[^"]*2026[^"]*"[^>]*>[^<]+<\/time>/,
    );
    expect(own).toContain('aria-label="Copy message"');
    const other = item({ ...user(2, 'hey'), sender: { id: 'user:9', name: 'bob' } }, false);
    expect(other).toContain('aria-label="Message from bob"');
    const bot = item(reply(3, 1, 'Hi', true));
    expect(bot).toContain('aria-label="Message from Support bot"');
    expect(bot).toContain('aria-busy="false"');
  });

  it('badges cancelled, error and interrupted replies, and not complete ones', () => {
    for (const status of ['cancelled', 'error', 'interrupted'] as const) {
      expect(item(reply(3, 1, 'partial', true, status))).toMatch(new RegExp(`>${status}</span>`));
    }
    expect(item(reply(3, 1, 'done', true))).not.toMatch(/>(cancelled|error|interrupted)</);
  });

  it('marks a streaming reply busy, without a copy button until it ends', () => {
    const html = item(reply(3, 1, 'Hel'));
    expect(html).toContain('aria-busy="true"');
    expect(html).toContain('streaming');
    expect(html).not.toContain('Copy message');
  });
});

describe('PendingItem and NoticeItem', () => {
  const entry: PendingMessage = {
    clientId: 'c-1',
    chain: [{ type: 'Plain', text: 'hello' }],
    text: 'hello',
    timestamp: '2026-01-01T00:00:02.000Z',
    delivery: 'queued',
  };
  const pending = (value: PendingMessage, online: boolean): string =>
    renderToStaticMarkup(createElement(PendingItem, { entry: value, online, onDiscard: noop }));

  it('marks messages waiting for a connection as pending', () => {
    expect(pending(entry, true)).toContain('pending — will send on reconnect');
    expect(pending({ ...entry, delivery: 'sending' }, false)).toContain('pending — will send');
    expect(pending({ ...entry, delivery: 'sending' }, true)).toContain('sending…');
    expect(pending(entry, true)).toContain('aria-label="Message from you"');
  });

  it('says why a message failed and offers to discard it', () => {
    const html = pending({ ...entry, delivery: 'failed', error: 'Queue full' }, true);
    expect(html).toContain('not sent: Queue full');
    expect(html).toContain('>Discard</button>');
  });

  it('renders broadcasts as notes', () => {
    const html = renderToStaticMarkup(
      createElement(NoticeItem, {
        notice: {
          id: 'b',
          kind: 'broadcast',
          text: 'Maintenance',
          timestamp: '2026-01-01T00:00:00.000Z',
          afterMessageId: undefined,
        },
      }),
    );
    expect(html).toMatch(/^<div role="note" aria-label="Broadcast"/);
    expect(html).toContain('Maintenance');
  });
});

describe('MessageList', () => {
  it('is a polite log with a designed empty state', () => {
    const html = list(initialChatState);
    expect(html).toMatch(
      /role="log" aria-label="Conversation" aria-live="polite" aria-relevant="additions"/,
    );
    expect(html).toContain('No messages yet — say hello');
  });

  it('shows the history error instead of the empty state', () => {
    const html = renderToStaticMarkup(
      createElement(MessageList, {
        state: initialChatState,
        typing: false,
        botName: 'Bot',
        isOwn: () => true,
        online: false,
        onDiscard: noop,
        historyError: 'Network error',
        onRetryHistory: noop,
      }),
    );
    expect(html).toContain('role="alert"');
    expect(html).toContain('Network error');
    expect(html).not.toContain('No messages yet');
  });

  it('keeps the typing slot whether or not the bot is typing', () => {
    const state = run([{ type: 'message', message: user(1, 'hi') }, sent('c-2', 'more')]);
    const idle = list(state);
    const typing = list(state, true);
    expect(idle).toContain('<div class="h-6 ');
    expect(typing).toContain('Support bot is typing');
    expect(typing.match(/class="h-6 /g)).toHaveLength(1);
    expect(typing).toContain('sending…');
  });
});

describe('MarkdownReply GitHub extras', () => {
  it('renders a pipe table with alignment and inline formatting in cells', () => {
    const html = markdown(
      'Results:\n\n| name | `score` |\n| :--- | ---: |\n| **Ann** | 3 |\n| Bob | 12 |\n\nDone.',
    );
    expect(html).toContain('<table>');
    expect(html).toMatch(/<th[^>]*>name<\/th>/);
    expect(html).toMatch(/<th[^>]*><code>score<\/code><\/th>/);
    expect(html).toMatch(/<td[^>]*><strong>Ann<\/strong><\/td>/);
    expect(html).toMatch(/<td style="text-align:right">12<\/td>/);
    expect(html).toContain('<p>Done.</p>');
  });

  it('splits a table off the text lines above it in the same paragraph', () => {
    const html = markdown('Here it is:\n| a | b |\n|---|---|\n| 1 | 2 |');
    expect(html).toContain('<p>Here it is:</p>');
    expect(html).toMatch(/<td[^>]*>2<\/td>/);
  });

  it('leaves pipes that are not a table alone', () => {
    const html = markdown('a | b\nc | d');
    expect(html).not.toContain('<table');
  });

  it('links bare URLs but not those in code, keeping sentence punctuation out', () => {
    const html = markdown(
      'See https://example.com/docs?a=1. Or `https://not.linked` (https://x.org/a).',
    );
    expect(html).toContain('<a href="https://example.com/docs?a=1" target="_blank"');
    expect(html).toContain('<code>https://not.linked</code>');
    expect(html).toContain('<a href="https://x.org/a" target="_blank"');
    expect(html).not.toContain('href="https://not.linked"');
  });

  it('labels code blocks with their language and offers a copy button', () => {
    const html = markdown('```python\nprint(1)\n```\n\n```\nplain\n```');
    expect(html).toContain('>python</span>');
    expect(html).toContain('aria-label="Copy python code"');
    expect(html).toContain('aria-label="Copy code"');
  });
});

describe('ReplyFigures', () => {
  it('lists what was measured and leaves out what the provider did not report', () => {
    const figures = {
      first_chunk_ms: 412,
      duration_ms: 12_345,
      chunks: 38,
      characters: 1204,
      input_tokens: null,
      output_tokens: 301,
      finish_reason: 'length',
    };
    expect(describeFigures(figures)).toEqual([
      ['first chunk', '412 ms'],
      ['total', '12.3 s'],
      ['chunks', '38'],
      ['characters', '1,204'],
      ['output tokens', '301'],
      ['finish', 'length'],
    ]);
  });
});
