import { IMAGE_MEDIA_TYPES } from '@botwire/client';

/** How many images one message may carry from the composer. */
export const MAX_ATTACHMENTS = 8;

/** The file picker's `accept`: the types the server stores (PNG, JPEG, GIF, WebP). */
export const IMAGE_ACCEPT = IMAGE_MEDIA_TYPES.join(',');

/** What the composer needs of a file to check it (a `File` has all of it). */
export interface FileFacts {
  name: string;
  type: string;
  size: number;
}

/** Why a file was not attached. */
export type FileRefusal = 'type' | 'empty' | 'count';

/** The outcome of {@link checkImageFiles}: the files to attach, and the ones refused with why. */
export interface FileCheck<TFile extends FileFacts> {
  accepted: TFile[];
  refused: { file: TFile; reason: FileRefusal }[];
}

/**
 * The media type the browser gave the file, lower case, `image/jpg` read as `image/jpeg`, when
 * it is one the server accepts; otherwise undefined. The server still reads the content (a text
 * file renamed `.png` passes here and is refused by the upload with its own message).
 */
export function supportedImageType(type: string): string | undefined {
  const normalized = type.trim().toLowerCase();
  const mediaType = normalized === 'image/jpg' ? 'image/jpeg' : normalized;
  return (IMAGE_MEDIA_TYPES as readonly string[]).includes(mediaType) ? mediaType : undefined;
}

/**
 * Sorts picked, pasted or dropped files into those to attach and those refused: not an image
 * type the server takes (SVG, PDF, text...), empty, or past {@link MAX_ATTACHMENTS} counting the
 * `alreadyAttached` ones. Size is left to the server, whose limit is configurable and whose
 * refusal names it.
 */
export function checkImageFiles<TFile extends FileFacts>(
  files: readonly TFile[],
  alreadyAttached: number,
): FileCheck<TFile> {
  const result: FileCheck<TFile> = { accepted: [], refused: [] };
  for (const file of files) {
    if (supportedImageType(file.type) === undefined) {
      result.refused.push({ file, reason: 'type' });
    } else if (file.size === 0) {
      result.refused.push({ file, reason: 'empty' });
    } else if (alreadyAttached + result.accepted.length >= MAX_ATTACHMENTS) {
      result.refused.push({ file, reason: 'count' });
    } else {
      result.accepted.push(file);
    }
  }
  return result;
}

/** A size in bytes as people read it: `68 B`, `1.2 KB`, `3.4 MB` (1 KB = 1024 bytes). */
export function formatBytes(bytes: number, formatNumber: (value: number) => string): string {
  if (bytes < 1024) return `${formatNumber(bytes)} B`;
  const units = ['KB', 'MB', 'GB'] as const;
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${formatNumber(Math.round(value * 10) / 10)} ${units[unit] ?? 'GB'}`;
}

/** A short name for a media type: `image/png` is `PNG`, `image/jpeg` is `JPEG`. */
export function imageTypeName(mediaType: string | undefined): string | undefined {
  if (mediaType === undefined || !mediaType.startsWith('image/')) return undefined;
  return mediaType.slice('image/'.length).toUpperCase();
}
