import * as z from 'zod/mini';

/**
 * Message-chain components: the parts a chat message is made of.
 *
 * Written with `zod/mini`, like every frame schema: the browser SDK decodes frames with these
 * same schemas, and the tree-shakable API keeps its bundle small.
 *
 * The set is closed on purpose: a component the server does not know is rejected with an
 * `UNSUPPORTED_COMPONENT` error instead of being dropped silently.
 */

/** Plain text. */
export const plainComponentSchema = z.object({
  type: z.literal('Plain'),
  text: z.string(),
});

/** A mention of one participant; `target` is the mentioned id (the bot's id triggers group replies). */
export const atComponentSchema = z.object({
  type: z.literal('At'),
  target: z.pipe(
    z.union([z.string().check(z.minLength(1)), z.int()]),
    z.transform((target: string | number) => String(target)),
  ),
  display: z.optional(z.string()),
});

/** A mention of everyone in a group conversation. */
export const atAllComponentSchema = z.object({
  type: z.literal('AtAll'),
});

const dataUriPattern = /^data:image\/[a-z0-9.+-]+;base64,[A-Za-z0-9+/=\s]+$/i;

/** The id the server gives an uploaded image (`POST /api/v1/pipelines/<uuid>/images`). */
export const imageIdPattern = /^img_[A-Za-z0-9_-]{16,64}$/;

/** The path an uploaded image is served at, relative to the server. */
export function imagePathOf(imageId: string): string {
  return `/api/v1/images/${imageId}`;
}

/**
 * An image: an uploaded one by `image_id` (the server fills in `url`, the path it is served at,
 * and `media_type` and `bytes`), an http(s) URL where the pipeline allows URLs, or a base64 data
 * URI. Server-side paths are never accepted from clients.
 */
export const imageComponentSchema = z
  .object({
    type: z.literal('Image'),
    image_id: z.optional(
      z.string().check(z.regex(imageIdPattern, 'image_id must be an id returned by the upload')),
    ),
    url: z.optional(
      z
        .string()
        .check(
          z.regex(
            /^(https?:\/\/|\/api\/v1\/images\/)/i,
            'url must be an http(s) URL (or, with image_id, the path the server gave it)',
          ),
        ),
    ),
    base64: z.optional(
      z
        .string()
        .check(
          z.regex(dataUriPattern, 'base64 must be a data URI such as data:image/png;base64,...'),
        ),
    ),
    /** The uploaded image's type (`image/png`...), filled in by the server. */
    media_type: z.optional(z.string().check(z.maxLength(100))),
    /** The uploaded image's size in bytes, filled in by the server. */
    bytes: z.optional(z.int().check(z.nonnegative())),
  })
  .check(
    z.refine(
      (image) =>
        image.image_id !== undefined
          ? image.base64 === undefined
          : (image.url === undefined) !== (image.base64 === undefined),
      { message: 'an Image needs exactly one of image_id, url or base64' },
    ),
    z.refine(
      (image) =>
        image.url === undefined || !image.url.startsWith('/') || image.image_id !== undefined,
      { message: 'a url that is a server path needs the image_id it was given for' },
    ),
  );

/** A quote of an earlier message, by id, optionally with the quoted text. */
export const quoteComponentSchema = z.object({
  type: z.literal('Quote'),
  message_id: z.int().check(z.positive()),
  text: z.optional(z.string()),
});

/** One message-chain component. */
export const messageComponentSchema = z.discriminatedUnion('type', [
  plainComponentSchema,
  atComponentSchema,
  atAllComponentSchema,
  imageComponentSchema,
  quoteComponentSchema,
]);

/** A message chain: a non-empty list of components. */
export const messageChainSchema = z
  .array(messageComponentSchema)
  .check(z.minLength(1, 'a message chain needs at least one component'));

export type PlainComponent = z.infer<typeof plainComponentSchema>;
export type AtComponent = z.infer<typeof atComponentSchema>;
export type AtAllComponent = z.infer<typeof atAllComponentSchema>;
export type ImageComponent = z.infer<typeof imageComponentSchema>;
export type QuoteComponent = z.infer<typeof quoteComponentSchema>;
export type MessageComponent = z.infer<typeof messageComponentSchema>;
export type MessageChain = z.infer<typeof messageChainSchema>;
