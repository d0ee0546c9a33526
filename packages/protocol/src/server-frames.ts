import * as z from 'zod/mini';
import { chatMessageSchema, responseDataSchema, sessionTypeSchema } from './chat-message.js';
import { errorCodeSchema } from './error-codes.js';

/**
 * Frames the server sends. Frames that belong to a conversation's event stream carry a
 * per-conversation `seq`; a client that reconnects with `?last_seq=N` gets every such event
 * after N exactly once.
 */

const seq = z.int().check(z.nonnegative());

/** First frame after a successful connect and authentication. */
export const connectedFrameSchema = z.object({
  type: z.literal('connected'),
  connection_id: z.string(),
  pipeline_uuid: z.string(),
  session_type: sessionTypeSchema,
  /** The conversation key this connection joined. */
  session: z.string(),
  heartbeat_interval_ms: z.int().check(z.positive()),
  /** The newest seq of the conversation at the moment of connecting (after any replay). */
  last_seq: seq,
  protocol_version: z.int().check(z.positive()),
  timestamp: z.string(),
});

/** A user message, stored; sent to every connection of the conversation. It is the acknowledgement. */
export const userMessageFrameSchema = z.object({
  type: z.literal('user_message'),
  seq,
  data: z.extend(chatMessageSchema, { role: z.literal('user') }),
});

/** One chunk of a reply (or the whole reply when not streamed); `data.is_final` marks the last. */
export const responseFrameSchema = z.object({
  type: z.literal('response'),
  seq,
  data: responseDataSchema,
});

export const pongFrameSchema = z.object({
  type: z.literal('pong'),
  timestamp: z.string(),
});

/** A notice pushed to every connection of a pipeline through the broadcast endpoint. */
export const broadcastFrameSchema = z.object({
  type: z.literal('broadcast'),
  message: z.string(),
  timestamp: z.string(),
});

/** The conversation was reset: history and model context are gone. */
export const sessionResetFrameSchema = z.object({
  type: z.literal('session_reset'),
  seq,
  timestamp: z.string(),
});

/** The events after the client's `last_seq` are no longer kept: reload history over REST. */
export const resyncRequiredFrameSchema = z.object({
  type: z.literal('resync_required'),
  last_seq: seq,
  reason: z.string(),
});

/**
 * Something went wrong with a frame or a reply; the connection stays open unless a close follows.
 * An error that ended a reply is an event of the conversation's stream: it carries `reply_id`
 * and a `seq`, and a client resuming from before it gets it in the replay.
 */
export const errorFrameSchema = z.object({
  type: z.literal('error'),
  code: errorCodeSchema,
  message: z.string(),
  /** The reply this error ended, when it ended one. */
  reply_id: z.optional(z.int()),
  /** Set on an error that ended a reply: its place in the conversation's event stream. */
  seq: z.optional(seq),
  /** When a rate limit refused the frame: whole seconds before trying again. */
  retry_after_seconds: z.optional(z.int()),
});

export const SERVER_FRAME_TYPES = [
  'connected',
  'user_message',
  'response',
  'pong',
  'broadcast',
  'session_reset',
  'resync_required',
  'error',
] as const;

export const serverFrameSchema = z.discriminatedUnion('type', [
  connectedFrameSchema,
  userMessageFrameSchema,
  responseFrameSchema,
  pongFrameSchema,
  broadcastFrameSchema,
  sessionResetFrameSchema,
  resyncRequiredFrameSchema,
  errorFrameSchema,
]);

export type ConnectedFrame = z.infer<typeof connectedFrameSchema>;
export type UserMessageFrame = z.infer<typeof userMessageFrameSchema>;
export type ResponseFrame = z.infer<typeof responseFrameSchema>;
export type PongFrame = z.infer<typeof pongFrameSchema>;
export type BroadcastFrame = z.infer<typeof broadcastFrameSchema>;
export type SessionResetFrame = z.infer<typeof sessionResetFrameSchema>;
export type ResyncRequiredFrame = z.infer<typeof resyncRequiredFrameSchema>;
export type ErrorFrame = z.infer<typeof errorFrameSchema>;
export type ServerFrame = z.infer<typeof serverFrameSchema>;
/** The error frame that ended a reply, as an event of the conversation's stream. */
export type ReplyErrorFrame = ErrorFrame & { seq: number; reply_id: number };
/** Server frames that belong to a conversation's ordered event stream. */
export type ConversationEventFrame =
  UserMessageFrame | ResponseFrame | SessionResetFrame | ReplyErrorFrame;
