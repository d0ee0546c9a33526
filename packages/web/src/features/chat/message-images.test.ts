import { describe, expect, it } from 'vitest';
import { messageWithChain, SERVED_IMAGE } from './image-fixtures.test-support.js';
import { composeMessageChain } from './mention.js';
import { chainParts, imageSource } from './message-images.js';

describe('message images', () => {
  it('loads uploaded and inline images and only links to images on other hosts', () => {
    expect(imageSource(SERVED_IMAGE)).toEqual({ kind: 'served', src: SERVED_IMAGE.url });
    // The path comes from the id, whatever url says next to it.
    expect(
      imageSource({
        type: 'Image',
        image_id: SERVED_IMAGE.image_id,
        url: 'https://x.example/a.png',
      }),
    ).toEqual({ kind: 'served', src: SERVED_IMAGE.url });
    expect(imageSource({ type: 'Image', url: 'https://cdn.example.com/cat.png' })).toEqual({
      kind: 'external',
      href: 'https://cdn.example.com/cat.png',
    });
    expect(imageSource({ type: 'Image', base64: 'data:image/png;base64,iVBO Rw==' })).toEqual({
      kind: 'inline',
      src: 'data:image/png;base64,iVBORw==',
    });
    // An SVG data URI or a script URL is never drawn.
    expect(imageSource({ type: 'Image', base64: 'data:image/svg+xml;base64,PHN2Zz4=' })).toEqual({
      kind: 'none',
    });
    expect(imageSource({ type: 'Image', url: 'javascript:alert(1)' })).toEqual({ kind: 'none' });
  });

  it('splits a message into its text without the [Image] markers, and its images', () => {
    const chain = [{ type: 'Plain' as const, text: 'What is this?' }, SERVED_IMAGE];
    expect(chainParts(messageWithChain(1, 'user', chain, 'What is this?[Image]'))).toEqual({
      text: 'What is this?',
      images: [SERVED_IMAGE],
    });
    const only = chainParts(messageWithChain(1, 'user', [SERVED_IMAGE], '[Image]'));
    expect(only).toEqual({ text: '', images: [SERVED_IMAGE] });
    // Without images, or without a chain, the stored content is the text.
    expect(chainParts({ content: 'hi [Image] there', message_chain: [] }).text).toBe(
      'hi [Image] there',
    );
  });

  it('builds the chain: mention, text, then the uploaded images in order', () => {
    const bot = { target: 'pipe-uuid', display: 'Support bot' };
    expect(composeMessageChain(' look ', undefined, ['img_a', 'img_b'])).toEqual([
      { type: 'Plain', text: 'look' },
      { type: 'Image', image_id: 'img_a' },
      { type: 'Image', image_id: 'img_b' },
    ]);
    expect(composeMessageChain('  ', bot, ['img_a'])).toEqual([
      { type: 'At', target: 'pipe-uuid', display: 'Support bot' },
      { type: 'Image', image_id: 'img_a' },
    ]);
    expect(composeMessageChain('', undefined, ['img_a'])).toEqual([
      { type: 'Image', image_id: 'img_a' },
    ]);
  });
});
