import { z } from 'zod';
import { sessionKeySchema } from './rest.js';

/**
 * Uploaded images: the query of the upload, what it answers, and the image types the server
 * accepts, told apart by their first bytes (never by the declared type alone).
 */

/** The image types the server stores and serves. SVG is not one: it can carry scripts. */
export const IMAGE_MEDIA_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const;
export type ImageMediaType = (typeof IMAGE_MEDIA_TYPES)[number];

/** Which conversation an upload is for: the same `session_type` and `session` as the WebSocket. */
export const imageUploadQuerySchema = z.object({
  session_type: z.enum(['person', 'group']).default('person'),
  session: sessionKeySchema.optional(),
});
export type ImageUploadQuery = z.input<typeof imageUploadQuerySchema>;

/** What an upload answers: the id to put in an `Image` component, and where the image is served. */
export const uploadedImageSchema = z.object({
  image_id: z.string(),
  /** The path the image is served at (`/api/v1/images/<image_id>`), relative to the server. */
  url: z.string(),
  media_type: z.enum(IMAGE_MEDIA_TYPES),
  bytes: z.number().int().nonnegative(),
});
export type UploadedImage = z.infer<typeof uploadedImageSchema>;

function startsWith(bytes: Uint8Array, prefix: readonly number[], offset = 0): boolean {
  if (bytes.length < offset + prefix.length) return false;
  return prefix.every((byte, index) => bytes[offset + index] === byte);
}

const ascii = (text: string): number[] => [...text].map((character) => character.charCodeAt(0));

/**
 * The image type of `bytes`, read from their magic numbers, or undefined when they are none of
 * {@link IMAGE_MEDIA_TYPES}. Text formats (SVG, HTML) have no magic number and are never matched.
 */
export function sniffImageType(bytes: Uint8Array): ImageMediaType | undefined {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(bytes, ascii('GIF87a')) || startsWith(bytes, ascii('GIF89a'))) return 'image/gif';
  if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8)) return 'image/webp';
  return undefined;
}

/**
 * The media type named by a Content-Type header, lower case and without parameters
 * (`Image/PNG; charset=x` is `image/png`); `image/jpg` is taken for `image/jpeg`.
 */
export function normalizeMediaType(contentType: string | undefined): string | undefined {
  if (contentType === undefined) return undefined;
  const [type = ''] = contentType.split(';', 1);
  const normalized = type.trim().toLowerCase();
  if (normalized === '') return undefined;
  return normalized === 'image/jpg' ? 'image/jpeg' : normalized;
}
