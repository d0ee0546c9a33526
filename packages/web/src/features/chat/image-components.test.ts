import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { AttachmentTray } from './AttachmentTray.js';
import { Composer } from './Composer.js';
import {
  messageWithChain,
  SERVED_IMAGE,
  staticAttachments,
} from './image-fixtures.test-support.js';
import { MessageImages } from './MessageImages.js';
import { MessageItem, PendingItem } from './MessageItem.js';

const noop = (): void => undefined;

describe('images in messages', () => {
  it('shows an uploaded image as a lazy thumbnail with alt text that opens full size', () => {
    const html = renderToStaticMarkup(createElement(MessageImages, { images: [SERVED_IMAGE] }));
    expect(html).toMatch(
      /<button type="button" aria-label="Open full size: Image, PNG, 1.2 KB"[^>]*aria-haspopup="dialog"/,
    );
    expect(html).toMatch(
      /<img src="\/api\/v1\/images\/img_Q2x7v0cJm1oYb9rX3kq8Uw2a" alt="Image, PNG, 1.2 KB" loading="lazy"/,
    );
    expect(html).toContain('max-h-48');
  });

  it('never loads an image from another host: it is a link', () => {
    const html = renderToStaticMarkup(
      createElement(MessageImages, {
        images: [{ type: 'Image', url: 'https://tracker.example/pixel.png' }],
      }),
    );
    expect(html).not.toContain('<img');
    expect(html).toContain(
      '<a href="https://tracker.example/pixel.png" target="_blank" rel="noopener noreferrer nofollow"',
    );
  });

  it('renders user, bot and pending messages with their images and text without [Image]', () => {
    const chain = [{ type: 'Plain' as const, text: 'look' }, SERVED_IMAGE];
    const own = renderToStaticMarkup(
      createElement(MessageItem, {
        message: messageWithChain(1, 'user', chain, 'look[Image]'),
        botName: 'Bot',
        own: true,
      }),
    );
    expect(own).toContain('>look</p>');
    expect(own).not.toContain('[Image]');
    expect(own).toContain('src="/api/v1/images/img_Q2x7v0cJm1oYb9rX3kq8Uw2a"');
    const bot = renderToStaticMarkup(
      createElement(MessageItem, {
        message: messageWithChain(
          2,
          'assistant',
          [{ type: 'Plain', text: 'A cat' }, SERVED_IMAGE],
          'A cat',
        ),
        botName: 'Bot',
        own: false,
      }),
    );
    expect(bot).toContain('A cat');
    expect(bot).toContain('alt="Image, PNG, 1.2 KB"');
    const pending = renderToStaticMarkup(
      createElement(PendingItem, {
        entry: {
          clientId: 'c1',
          chain: [{ type: 'Image', image_id: SERVED_IMAGE.image_id }],
          text: '[Image]',
          timestamp: '2026-01-01T00:00:00.000Z',
          delivery: 'sending',
        },
        online: true,
        onDiscard: noop,
      }),
    );
    expect(pending).toContain('src="/api/v1/images/img_Q2x7v0cJm1oYb9rX3kq8Uw2a"');
    expect(pending).not.toContain('[Image]');
  });
});

describe('attachments in the composer', () => {
  it('offers an Attach images button beside the box, with its hint', () => {
    const html = renderToStaticMarkup(
      createElement(Composer, {
        status: { kind: 'connected' },
        streaming: false,
        onSend: noop,
        onStop: noop,
        text: '',
        onTextChange: noop,
        attachments: staticAttachments(),
      }),
    );
    expect(html).toMatch(/<button type="button" aria-label="Attach images"/);
    expect(html).toContain('accept="image/png,image/jpeg,image/gif,image/webp"');
    expect(html).toContain('You can also paste or drop images here.');
  });

  it('lets a message of images alone be sent, and not while they upload', () => {
    const attachment = { id: 'a1', name: 'cat.png', preview: 'data:image/png;base64,AA==' };
    const props = {
      status: { kind: 'connected' as const },
      streaming: false,
      onSend: noop,
      onStop: noop,
      text: '',
      onTextChange: noop,
    };
    const ready = renderToStaticMarkup(
      createElement(Composer, {
        ...props,
        attachments: staticAttachments({ attachments: [attachment] }),
      }),
    );
    expect(ready).toMatch(/<button type="submit"[^>]*>Send<\/button>/);
    expect(ready).not.toMatch(/<button type="submit" disabled=""/);
    const busy = renderToStaticMarkup(
      createElement(Composer, {
        ...props,
        attachments: staticAttachments({ attachments: [attachment], uploading: true }),
      }),
    );
    expect(busy).toMatch(/<button type="submit" disabled=""/);
    expect(busy).toContain('Uploading 1 image…');
  });

  it('lists previews with named Remove buttons and shows refusals as an alert', () => {
    const html = renderToStaticMarkup(
      createElement(AttachmentTray, {
        attachments: staticAttachments({
          attachments: [{ id: 'a1', name: 'cat.png', preview: 'data:image/png;base64,AA==' }],
          errors: ['Could not upload cat.png: too large (IMAGE_TOO_LARGE)'],
        }),
        dragging: true,
        onDone: noop,
      }),
    );
    expect(html).toContain('aria-label="Images to send"');
    expect(html).toContain('alt="Preview of cat.png"');
    expect(html).toContain('aria-label="Remove cat.png"');
    expect(html).toMatch(/<div role="alert"[^>]*>.*IMAGE_TOO_LARGE/);
    expect(html).toContain('Drop images to attach them');
  });
});
