import { imagePathOf, type ImageComponent, type MessageChain } from '@botwire/client';
import { chainText } from './mention.js';

/** The path prefix of images this server stores; they load from the console's own origin. */
const SERVED_IMAGE_PATH = '/api/v1/images/';

/** Inline images the console draws: only the raster types the server itself accepts. */
const INLINE_IMAGE = /^data:image\/(png|jpeg|gif|webp);base64,/i;

/**
 * Where an `Image` component's picture comes from, and so how the console shows it:
 * - `served`: uploaded to this server (same origin, behind the reader's session): loaded;
 * - `inline`: a base64 data URI: nothing is fetched, so it is drawn too;
 * - `external`: a URL on another host: shown as a link, never loaded, because loading it would
 *   tell that host who reads the conversation and when (the reasoning of MarkdownReply);
 * - `none`: nothing usable (a URL that is neither http(s) nor this server's image path).
 */
export type ImageSource =
  | { kind: 'served'; src: string }
  | { kind: 'inline'; src: string }
  | { kind: 'external'; href: string }
  | { kind: 'none' };

/** How to show `image`; see {@link ImageSource}. */
export function imageSource(image: ImageComponent): ImageSource {
  if (image.image_id !== undefined) return { kind: 'served', src: imagePathOf(image.image_id) };
  if (image.url !== undefined) {
    if (image.url.startsWith(SERVED_IMAGE_PATH)) return { kind: 'served', src: image.url };
    if (/^https?:\/\//i.test(image.url)) return { kind: 'external', href: image.url };
    return { kind: 'none' };
  }
  if (image.base64 !== undefined && INLINE_IMAGE.test(image.base64)) {
    return { kind: 'inline', src: image.base64.replace(/\s+/g, '') };
  }
  return { kind: 'none' };
}

/** A message's chain split into its text (mentions included) and its images, in order. */
export interface ChainParts {
  text: string;
  images: ImageComponent[];
}

/**
 * The text and images of a stored message. The server's `content` writes each image as
 * `[Image]`; the console shows the images themselves, so the text comes from the chain without
 * them. A message stored without a chain keeps its `content`.
 */
export function chainParts(message: {
  content: string;
  message_chain: readonly unknown[];
}): ChainParts {
  const chain = message.message_chain as MessageChain;
  if (chain.length === 0) return { text: message.content, images: [] };
  const images = chain.filter(
    (component): component is ImageComponent => component.type === 'Image',
  );
  if (images.length === 0) return { text: message.content, images };
  const text = chainText(chain.filter((component) => component.type !== 'Image')).trim();
  return { text, images };
}
