import { describe, expect, it } from 'vitest';
import {
  checkImageFiles,
  formatBytes,
  IMAGE_ACCEPT,
  imageTypeName,
  MAX_ATTACHMENTS,
  supportedImageType,
} from './image-files.js';

const file = (name: string, type: string, size = 10) => ({ name, type, size });

describe('image files', () => {
  it('takes the four types the server stores, and image/jpg as JPEG', () => {
    expect(IMAGE_ACCEPT).toBe('image/png,image/jpeg,image/gif,image/webp');
    expect(supportedImageType('image/png')).toBe('image/png');
    expect(supportedImageType('IMAGE/JPG')).toBe('image/jpeg');
    expect(supportedImageType('image/webp')).toBe('image/webp');
    expect(supportedImageType('image/svg+xml')).toBeUndefined();
    expect(supportedImageType('text/plain')).toBeUndefined();
    expect(supportedImageType('')).toBeUndefined();
  });

  it('refuses non-images and empty files, naming why, and keeps the rest in order', () => {
    const picked = [
      file('a.png', 'image/png'),
      file('notes.txt', 'text/plain'),
      file('logo.svg', 'image/svg+xml'),
      file('empty.gif', 'image/gif', 0),
      file('b.jpg', 'image/jpeg'),
    ];
    const { accepted, refused } = checkImageFiles(picked, 0);
    expect(accepted.map((entry) => entry.name)).toEqual(['a.png', 'b.jpg']);
    expect(refused.map(({ file: entry, reason }) => [entry.name, reason])).toEqual([
      ['notes.txt', 'type'],
      ['logo.svg', 'type'],
      ['empty.gif', 'empty'],
    ]);
  });

  it('stops at the attachment limit, counting those already attached', () => {
    const picked = [file('1.png', 'image/png'), file('2.png', 'image/png')];
    const { accepted, refused } = checkImageFiles(picked, MAX_ATTACHMENTS - 1);
    expect(accepted.map((entry) => entry.name)).toEqual(['1.png']);
    expect(refused).toEqual([{ file: picked[1], reason: 'count' }]);
  });

  it('writes sizes and type names as people read them', () => {
    const plain = (value: number): string => String(value);
    expect(formatBytes(68, plain)).toBe('68 B');
    expect(formatBytes(1_234, plain)).toBe('1.2 KB');
    expect(formatBytes(5 * 1024 * 1024, plain)).toBe('5 MB');
    expect(imageTypeName('image/png')).toBe('PNG');
    expect(imageTypeName(undefined)).toBeUndefined();
    expect(imageTypeName('text/plain')).toBeUndefined();
  });
});
