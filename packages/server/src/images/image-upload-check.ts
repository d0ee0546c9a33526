import {
  IMAGE_MEDIA_TYPES,
  normalizeMediaType,
  sniffImageType,
  type ImageMediaType,
} from '@botwire/protocol';
import { BotwireError } from '../errors/botwire-error.js';

/**
 * What an upload must be before anything is stored: at most `maxBytes`, a PNG, JPEG, GIF or
 * WebP by its first bytes, and declared as that same type. Returns the sniffed type or throws
 * `IMAGE_TOO_LARGE` / `IMAGE_TYPE_UNSUPPORTED` with what to do.
 */
export function checkImageUpload(upload: {
  bytes: Uint8Array;
  declaredType: string | undefined;
  maxBytes: number;
}): ImageMediaType {
  const { bytes, maxBytes } = upload;
  if (bytes.byteLength > maxBytes) {
    throw new BotwireError(
      'IMAGE_TOO_LARGE',
      `The image has ${bytes.byteLength} bytes; the server accepts at most ${maxBytes} (limits.maxImageBytes). Scale or compress it.`,
    );
  }
  if (bytes.byteLength === 0) {
    throw new BotwireError(
      'IMAGE_TYPE_UNSUPPORTED',
      'The upload is empty; send the image bytes as the body.',
    );
  }
  const accepted = IMAGE_MEDIA_TYPES.join(', ');
  const sniffed = sniffImageType(bytes);
  const declared = normalizeMediaType(upload.declaredType);
  if (sniffed === undefined) {
    const what =
      declared === 'image/svg+xml'
        ? 'SVG images are not accepted (they can carry scripts)'
        : declared?.startsWith('multipart/') === true
          ? 'Send the image bytes themselves as the body (not a multipart form), with Content-Type set to the image type'
          : 'The content is not a PNG, JPEG, GIF or WebP image';
    throw new BotwireError(
      'IMAGE_TYPE_UNSUPPORTED',
      `${what}; the server reads the type from the content. Convert it to one of ${accepted}.`,
    );
  }
  if (declared !== sniffed) {
    throw new BotwireError(
      'IMAGE_TYPE_UNSUPPORTED',
      `The upload is declared as ${declared ?? '(no Content-Type)'} but its content is ${sniffed}; send it with Content-Type: ${sniffed}.`,
    );
  }
  return sniffed;
}
