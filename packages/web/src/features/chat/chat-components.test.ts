import type { ChatMessage } from '@botwire/client';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { Composer } from './Composer.js';
import { MessageList } from './MessageList.js';
import { StatusIndicator } from './StatusIndicator.js';

/** Server-side rendering in the node environment: enough to check markup and labels. */
const noop = (): void => undefined;

function reply(content: string, status: ChatMessage['status'], isFinal: boolean): ChatMessage {
  return {
    id: 2,
    role: 'assistant',
    content,
    message_chain: [],
    timestamp: '2026-01-01T00:00:00.000Z',
    is_final: isFinal,
    status,
    reply_to: 1,
  };
}

describe('StatusIndicator', () => {
  it('shows the green connected state without a Reconnect button', () => {
    const html = renderToStaticMarkup(
      createElement(StatusIndicator, { status: { kind: 'connected' }, onReconnect: noop }),
    );
    expect(html).toContain('bg-green-500');
    expect(html).toContain('aria-live="polite"');
    expect(html).toContain('connected');
    expect(html).not.toContain('Reconnect');
  });

  it('shows the amber attempt counter and the red state with Reconnect', () => {
    const amber = renderToStaticMarkup(
      createElement(StatusIndicator, {
        status: { kind: 'reconnecting', attempt: 3, maxAttempts: 5 },
        onReconnect: noop,
      }),
    );
    expect(amber).toContain('bg-amber-500');
    expect(amber).toContain('reconnecting (attempt 3 of 5)');
    const red = renderToStaticMarkup(
      createElement(StatusIndicator, {
        status: { kind: 'disconnected', reason: undefined },
        onReconnect: noop,
      }),
    );
    expect(red).toContain('bg-red-500');
    expect(red).toContain('disconnected');
    expect(red).toContain('Reconnect');
  });
});

describe('MessageList', () => {
  it('renders replies as Markdown and never as raw HTML', () => {
    const html = renderToStaticMarkup(
      createElement(MessageList, {
        messages: [reply('**bold** <img src=x onerror=alert(1)>', 'complete', true)],
        pending: [],
        typing: false,
      }),
    );
    expect(html).toContain('<strong>bold</strong>');
    expect(html).not.toContain('<img');
  });

  it('badges cancelled, error and interrupted replies', () => {
    for (const status of ['cancelled', 'error', 'interrupted'] as const) {
      const html = renderToStaticMarkup(
        createElement(MessageList, {
          messages: [reply('partial', status, true)],
          pending: [],
          typing: false,
        }),
      );
      expect(html).toContain(`>${status}</span>`);
    }
  });

  it('shows the typing indicator and pending messages', () => {
    const html = renderToStaticMarkup(
      createElement(MessageList, {
        messages: [],
        pending: [{ clientId: 'c-1', text: 'hello' }],
        typing: true,
      }),
    );
    expect(html).toContain('Bot is typing');
    expect(html).toContain('sending…');
  });
});

describe('Composer', () => {
  it('shows Stop only while a reply streams', () => {
    const props = { status: { kind: 'connected' } as const, onSend: noop, onStop: noop };
    expect(renderToStaticMarkup(createElement(Composer, { ...props, streaming: true }))).toContain(
      'Stop',
    );
    expect(
      renderToStaticMarkup(createElement(Composer, { ...props, streaming: false })),
    ).not.toContain('Stop');
  });

  it('says messages will send on reconnect while reconnecting, and disables when closed', () => {
    const reconnecting = renderToStaticMarkup(
      createElement(Composer, {
        status: { kind: 'reconnecting', attempt: 1, maxAttempts: 5 },
        streaming: false,
        onSend: noop,
        onStop: noop,
      }),
    );
    expect(reconnecting).toContain('will send on reconnect');
    expect(reconnecting).not.toMatch(/<textarea[^>]* disabled=""/);
    const closed = renderToStaticMarkup(
      createElement(Composer, {
        status: { kind: 'disconnected', reason: undefined },
        streaming: false,
        onSend: noop,
        onStop: noop,
      }),
    );
    expect(closed).toMatch(/<textarea[^>]* disabled=""/);
  });
});
