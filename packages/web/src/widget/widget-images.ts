import type { ChatMessage } from '@botwire/client';
import type { VisitorSession } from './visitor-session.js';

/** The image types the server takes (it sniffs the content too; SVG is never one). */
export const IMAGE_TYPES: readonly string[] = [
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
];

/** What the panel shows of a message: its text and the ids of its uploaded images. */
export function partsOf(message: ChatMessage): { text: string; imageIds: string[] } {
  const imageIds: string[] = [];
  let text = '';
  for (const component of message.message_chain) {
    if (component.type === 'Plain') text += component.text;
    if (component.type === 'Image' && component.image_id !== undefined) {
      imageIds.push(component.image_id);
    }
  }
  // The content stands for components the panel has no view of (and for streamed chunks).
  return imageIds.length === 0 ? { text: message.content, imageIds } : { text, imageIds };
}

/**
 * Thumbnails of the conversation's images. The image routes want the visitor token in a header,
 * which an `<img src>` cannot send, so the bytes are fetched and shown through `blob:` URLs,
 * one per image, revoked when the conversation's thumbnails go.
 */
export class ImageThumbnails {
  readonly #urls = new Map<string, Promise<string>>();

  constructor(private readonly session: VisitorSession) {}

  /** Uses bytes the widget already has (an image it just uploaded) for `imageId`. */
  adopt(imageId: string, file: Blob): void {
    if (!this.#urls.has(imageId))
      this.#urls.set(imageId, Promise.resolve(URL.createObjectURL(file)));
  }

  /** A link (opening the full image) around its thumbnail, filled when the bytes arrive. */
  thumbnail(imageId: string, label: string): HTMLAnchorElement {
    const link = document.createElement('a');
    link.className = 'thumbnail';
    link.target = '_blank';
    link.rel = 'noopener';
    const image = document.createElement('img');
    image.alt = label;
    link.append(image);
    let url = this.#urls.get(imageId);
    if (url === undefined) {
      url = this.session.image(imageId).then((blob) => URL.createObjectURL(blob));
      this.#urls.set(imageId, url);
      // A failed fetch may succeed on the next rendering.
      url.catch(() => this.#urls.delete(imageId));
    }
    url.then(
      (source) => {
        image.src = source;
        link.href = source;
      },
      () => (image.alt = `${label} ✕`),
    );
    return link;
  }

  /** Revokes every blob URL: the thumbnails using them are gone (a reset). */
  clear(): void {
    for (const url of this.#urls.values())
      url.then(
        (source) => URL.revokeObjectURL(source),
        () => undefined,
      );
    this.#urls.clear();
  }
}
