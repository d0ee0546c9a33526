import { describe, expect, it } from 'vitest';
import { imageComponentSchema } from './components.js';
import { decodeClientFrame } from './decode.js';
import { normalizeMediaType, sniffImageType } from './images.js';

const bytes = (...values: number[]) => Uint8Array.from(values);
const text = (value: string) => new TextEncoder().encode(value);

describe('sniffImageType', () => {
  it.each([
    ['image/png', bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0)],
    ['image/jpeg', bytes(0xff, 0xd8, 0xff, 0xe0, 0, 0x10)],
    ['image/gif', text('GIF89a\x01\x00')],
    ['image/gif', text('GIF87a\x01\x00')],
    ['image/webp', text('RIFF\x10\x00\x00\x00WEBPVP8 ')],
  ])('reads %s from the magic number', (type, content) => {
    expect(sniffImageType(content)).toBe(type);
  });

  it.each([
    [
      'SVG with a script',
      text('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
    ],
    ['HTML', text('<!doctype html><p>hi')],
    ['a truncated PNG header', bytes(0x89, 0x50, 0x4e, 0x47)],
    ['a RIFF that is not WebP', text('RIFF\x10\x00\x00\x00WAVEfmt ')],
    ['nothing', bytes()],
  ])('matches no type for %s', (_name, content) => {
    expect(sniffImageType(content)).toBeUndefined();
  });
});

describe('normalizeMediaType', () => {
  it('drops parameters and case, and takes image/jpg for image/jpeg', () => {
    expect(normalizeMediaType('Image/PNG; charset=binary')).toBe('image/png');
    expect(normalizeMediaType('image/jpg')).toBe('image/jpeg');
    expect(normalizeMediaType(undefined)).toBeUndefined();
    expect(normalizeMediaType(' ')).toBeUndefined();
  });
});

describe('the Image component', () => {
  const id = 'img_abcdefghijklmnopqrstuvwx';

  it('accepts an uploaded image by id, with the url the server gave it', () => {
    expect(imageComponentSchema.safeParse({ type: 'Image', image_id: id }).success).toBe(true);
    expect(
      imageComponentSchema.safeParse({
        type: 'Image',
        image_id: id,
        url: `/api/v1/images/${id}`,
        media_type: 'image/png',
        bytes: 12,
      }).success,
    ).toBe(true);
  });

  it('refuses a malformed id, a server path without an id, and an id with base64', () => {
    expect(imageComponentSchema.safeParse({ type: 'Image', image_id: '../etc' }).success).toBe(
      false,
    );
    expect(
      imageComponentSchema.safeParse({ type: 'Image', url: `/api/v1/images/${id}` }).success,
    ).toBe(false);
    expect(
      imageComponentSchema.safeParse({
        type: 'Image',
        image_id: id,
        base64: 'data:image/png;base64,iVBORw0KGgo=',
      }).success,
    ).toBe(false);
  });

  it('decodes a message frame holding an uploaded image', () => {
    const decoded = decodeClientFrame(
      JSON.stringify({ type: 'message', message: [{ type: 'Image', image_id: id }] }),
    );
    expect(decoded.ok).toBe(true);
  });
});
