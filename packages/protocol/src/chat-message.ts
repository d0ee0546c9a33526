import * as z from 'zod/mini';
import { messageChainSchema } from './components.js';
import { replyFiguresSchema } from './reply-figures.js';

/** Who a conversation belongs to: one per principal (`person`) or shared by everyone (`group`). */
export const sessionTypeSchema = z.enum(['person', 'group']);
export type SessionType = z.infer<typeof sessionTypeSchema>;
export const SESSION_TYPES = sessionTypeSchema.options;

/**
 * Lifecycle of a stored message. User messages are always `complete`; a reply is `streaming`
 * while it is generated, then ends `complete`, `cancelled`, `error`, or `interrupted` (the server
 * stopped while it was streaming).
 */
export const messageStatusSchema = z.enum([
  'streaming',
  'complete',
  'cancelled',
  'error',
  'interrupted',
]);
export type MessageStatus = z.infer<typeof messageStatusSchema>;

/** The sender of a user message. */
export const senderSchema = z.object({
  id: z.string(),
  name: z.string(),
});
export type Sender = z.infer<typeof senderSchema>;

/** A chat message as stored and as sent in `user_message` frames and the history endpoint. */
export const chatMessageSchema = z.object({
  /** Stable id; for a reply it stays the same for every chunk. */
  id: z.int(),
  role: z.enum(['user', 'assistant']),
  /** The text of the chain (for a streamed reply: the full text so far). */
  content: z.string(),
  message_chain: z.union([messageChainSchema, z.array(z.never()).check(z.length(0))]),
  /** ISO-8601 time the message was created. */
  timestamp: z.string(),
  is_final: z.boolean(),
  status: messageStatusSchema,
  /** For a reply: the id of the user message it answers. */
  reply_to: z.nullable(z.int()),
  /** For a user message: the connection that sent it. */
  connection_id: z.optional(z.nullable(z.string())),
  /** For a user message: the sender's idempotency key, when it gave one. */
  client_id: z.optional(z.nullable(z.string())),
  sender: z.optional(z.nullable(senderSchema)),
  /**
   * For a finished reply: its timings, size and token usage. Sent on the final `response`
   * frame and in the history; absent on user messages, on chunks still streaming, and on
   * replies stored before the server recorded them.
   */
  figures: z.optional(z.nullable(replyFiguresSchema)),
});
export type ChatMessage = z.infer<typeof chatMessageSchema>;

/** A streamed reply chunk: the message so far plus the text added since the previous chunk. */
export const responseDataSchema = z.extend(chatMessageSchema, {
  role: z.literal('assistant'),
  /** Text added by this chunk. With `stream=delta`, intermediate chunks carry `content: ""`. */
  delta: z.string(),
});
export type ResponseData = z.infer<typeof responseDataSchema>;
