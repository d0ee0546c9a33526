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

/** An image, by http(s) URL or as a base64 data URI. Server-side paths are never accepted from clients. */
export const imageComponentSchema = z
  .object({
    type: z.literal('Image'),
    url: z.optional(z.string().check(z.regex(/^https?:\/\//i, 'url must be an http(s) URL'))),
    base64: z.optional(
      z
        .string()
        .check(
          z.regex(dataUriPattern, 'base64 must be a data URI such as data:image/png;base64,...'),
        ),
    ),
  })
  .check(
    z.refine((image) => (image.url === undefined) !== (image.base64 === undefined), {
      message: 'an Image needs exactly one of url or base64',
    }),
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
