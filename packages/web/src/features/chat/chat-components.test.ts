import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { Composer, type ComposerProps } from './Composer.js';
import { GroupHint } from './GroupHint.js';
import { staticAttachments } from './image-fixtures.test-support.js';
import { MentionChip } from './MentionChip.js';
import { MentionPicker } from './MentionPicker.js';
import { StatusIndicator } from './StatusIndicator.js';

/** Server-side rendering in the node environment: enough to check markup and labels. */
const noop = (): void => undefined;
const bot = { target: 'pipe-uuid', display: 'Support bot' };

describe('StatusIndicator', () => {
  it('shows the green connected state without a Reconnect button', () => {
    const html = renderToStaticMarkup(
      createElement(StatusIndicator, { status: { kind: 'connected' }, onReconnect: noop }),
    );
    expect(html).toContain('bg-green-500');
    expect(html).toContain('aria-live="polite"');
    expect(html).toMatch(/role="status"[^>]*>.*Connection: <\/span>connected<\/span><\/span>/);
    expect(html).not.toContain('Reconnect');
  });

  it('shows the amber attempt counter and the red state with Reconnect and its reason', () => {
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
        status: { kind: 'disconnected', reason: 'The server is restarting.' },
        onReconnect: noop,
      }),
    );
    expect(red).toContain('bg-red-500');
    expect(red).toContain('>disconnected<');
    expect(red).toContain('title="The server is restarting."');
    expect(red).toContain('>Reconnect</button>');
  });
});

describe('Composer', () => {
  const props: ComposerProps = {
    status: { kind: 'connected' },
    streaming: false,
    onSend: noop,
    onStop: noop,
    text: '',
    onTextChange: noop,
    attachments: staticAttachments(),
  };
  const render = (overrides: Partial<ComposerProps>): string =>
    renderToStaticMarkup(createElement(Composer, { ...props, ...overrides }));

  it('labels the textarea "Message" and shows Stop in Send’s slot only while a reply streams', () => {
    const idle = render({});
    expect(idle).toMatch(/<label for="composer"[^>]*>Message<\/label>/);
    expect(idle).toContain('>Send</button>');
    expect(idle).not.toContain('>Stop</button>');
    const streaming = render({ streaming: true });
    expect(streaming).toContain('>Stop</button>');
    expect(streaming).not.toContain('>Send</button>');
    // The same fixed-size slot holds either button, so the composer keeps its size.
    const slot = /<div class="h-11 w-\[4\.5rem\] shrink-0"><button/;
    expect(idle).toMatch(slot);
    expect(streaming).toMatch(slot);
  });

  it('keeps the textarea usable without a connection and says messages wait', () => {
    const reconnecting = render({ status: { kind: 'reconnecting', attempt: 1, maxAttempts: 5 } });
    expect(reconnecting).toContain('go out when the connection is back');
    expect(reconnecting).not.toMatch(/<textarea[^>]* disabled=""/);
    const closed = render({ status: { kind: 'disconnected', reason: undefined } });
    expect(closed).toContain('go out after you reconnect');
    expect(closed).not.toMatch(/<textarea[^>]* disabled=""/);
    expect(render({})).not.toContain('after you reconnect');
  });

  it('offers the mention button only in group conversations', () => {
    expect(render({})).not.toContain('Mention the bot');
    const group = render({ mentionTarget: bot });
    expect(group).toMatch(/<button[^>]*aria-label="Mention the bot"[^>]*aria-haspopup="listbox"/);
    expect(group).toContain('@ to mention');
  });
});

describe('mention picker and chip', () => {
  it('renders a listbox of options named by the pipeline', () => {
    const html = renderToStaticMarkup(
      createElement(MentionPicker, {
        open: true,
        onOpenChange: noop,
        options: [bot],
        activeIndex: 0,
        onActiveIndexChange: noop,
        onChoose: noop,
        focusList: false,
        listId: 'list',
        anchor: createElement('div'),
        buttonRef: { current: null },
      }),
    );
    expect(html).toMatch(/<ul id="list" role="listbox"[^>]*aria-activedescendant="list-option-0"/);
    expect(html).toMatch(
      /<li id="list-option-0" role="option" aria-selected="true"[^>]*>.*<span class="truncate">Support bot<\/span>/,
    );
  });

  it('shows the chosen mention with a button that removes it', () => {
    const html = renderToStaticMarkup(createElement(MentionChip, { mention: bot, onRemove: noop }));
    expect(html).toContain('@Support bot');
    expect(html).toContain('aria-label="Remove the mention of Support bot"');
  });

  it('states the group trigger rules above the composer', () => {
    const html = renderToStaticMarkup(
      createElement(GroupHint, {
        triggers: { mention: true, prefixes: ['/ask'], probability: 0 },
        botName: 'Support bot',
      }),
    );
    expect(html).toContain('mention it (@Support bot) or start with “/ask”');
  });
});
