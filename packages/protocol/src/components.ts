import { z } from 'zod';

/**
 * Message-chain components: the parts a chat message is made of.
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
  target: z.union([z.string().min(1), z.number().int()]).transform(String),
  display: z.string().optional(),
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
    url: z
      .string()
      .regex(/^https?:\/\//i, 'url must be an http(s) URL')
      .optional(),
    base64: z
      .string()
      .regex(dataUriPattern, 'base64 must be a data URI such as data:image/png;base64,...')
      .optional(),
  })
  .refine((image) => (image.url === undefined) !== (image.base64 === undefined), {
    message: 'an Image needs exactly one of url or base64',
  });

/** A quote of an earlier message, by id, optionally with the quoted text. */
export const quoteComponentSchema = z.object({
  type: z.literal('Quote'),
  message_id: z.number().int().positive(),
  text: z.string().optional(),
});

/** Every component type the protocol knows, by name. */
export const COMPONENT_TYPES = ['Plain', 'At', 'AtAll', 'Image', 'Quote'] as const;

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
  .min(1, 'a message chain needs at least one component');

export type PlainComponent = z.infer<typeof plainComponentSchema>;
export type AtComponent = z.infer<typeof atComponentSchema>;
export type AtAllComponent = z.infer<typeof atAllComponentSchema>;
export type ImageComponent = z.infer<typeof imageComponentSchema>;
export type QuoteComponent = z.infer<typeof quoteComponentSchema>;
export type MessageComponent = z.infer<typeof messageComponentSchema>;
export type MessageChain = z.infer<typeof messageChainSchema>;

/**
 * The text of a chain as the seed defines `content`: Plain text as is, mentions as `@display`,
 * images as `[Image]`; quotes contribute nothing.
 */
export function chainToText(chain: readonly MessageComponent[]): string {
  let text = '';
  for (const component of chain) {
    switch (component.type) {
      case 'Plain':
        text += component.text;
        break;
      case 'At':
        text += `@${component.display ?? component.target}`;
        break;
      case 'AtAll':
        text += '@all';
        break;
      case 'Image':
        text += '[Image]';
        break;
      case 'Quote':
        break;
    }
  }
  return text;
}

/** A one-component chain holding `text`. */
export function textToChain(text: string): MessageChain {
  return [{ type: 'Plain', text }];
}
