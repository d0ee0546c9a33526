import type { Catalogue } from '../message.js';

/** Images: attaching them in the composer, and showing them in messages. */
export const imagesEn = {
  'attachments.attach': 'Attach images',
  'attachments.attachHint': 'PNG, JPEG, GIF or WebP. You can also paste or drop images here.',
  'attachments.list': 'Images to send',
  'attachments.remove': 'Remove {name}',
  'attachments.previewAlt': 'Preview of {name}',
  'attachments.refusedType':
    '{name} is not a PNG, JPEG, GIF or WebP image, so it was not attached.',
  'attachments.refusedEmpty': '{name} is empty, so it was not attached.',
  'attachments.refusedCount': 'At most {max} images per message: {name} was not attached.',
  'attachments.uploading': {
    one: 'Uploading {count} image…',
    other: 'Uploading {count} images…',
  },
  'attachments.uploadFailed': 'Could not upload {name}: {error}',
  'attachments.dropHere': 'Drop images to attach them',
  'attachments.dismiss': 'Dismiss',
  'image.alt': 'Image, {details}',
  'image.altPlain': 'Image',
  'image.openFullSize': 'Open full size: {alt}',
  'image.close': 'Close',
  'image.openInTab': 'Open in a new tab',
  'image.unavailable': 'Image not available: deleted, or not visible to you',
  'image.external': 'Image at {url} (links to other sites are not loaded)',
  'image.unusable': 'An image the console cannot show',
  'image.images': 'Images',
} as const satisfies Catalogue;
