import * as z from 'zod/mini';
import { messageChainSchema } from './components.js';

/**
 * Frames a client sends. A frame with no `type` is read as `message`, as the original did.
 */

/** Send a chat message. `client_id` makes retries safe: the server processes one id once. */
export const messageFrameSchema = z.object({
  type: z.literal('message'),
  message: messageChainSchema,
  client_id: z.optional(z.string().check(z.minLength(1), z.maxLength(128))),
});

/** Application-level keep-alive; answered with `pong`. */
export const pingFrameSchema = z.object({
  type: z.literal('ping'),
  timestamp: z.optional(z.union([z.string(), z.number()])),
});

/** Stop the reply being generated (or the one named by `reply_id`). */
export const cancelFrameSchema = z.object({
  type: z.literal('cancel'),
  reply_id: z.optional(z.int().check(z.positive())),
});

/** Polite goodbye; the server closes with 1000. */
export const disconnectFrameSchema = z.object({
  type: z.literal('disconnect'),
});

/** Credentials as the first frame, for browsers that cannot set headers on the upgrade. */
export const authenticateFrameSchema = z.object({
  type: z.literal('authenticate'),
  token: z.string().check(z.minLength(1), z.maxLength(512)),
});

export const CLIENT_FRAME_TYPES = [
  'message',
  'ping',
  'cancel',
  'disconnect',
  'authenticate',
] as const;

export const clientFrameSchema = z.discriminatedUnion('type', [
  messageFrameSchema,
  pingFrameSchema,
  cancelFrameSchema,
  disconnectFrameSchema,
  authenticateFrameSchema,
]);

export type MessageFrame = z.infer<typeof messageFrameSchema>;
export type PingFrame = z.infer<typeof pingFrameSchema>;
export type CancelFrame = z.infer<typeof cancelFrameSchema>;
export type DisconnectFrame = z.infer<typeof disconnectFrameSchema>;
export type AuthenticateFrame = z.infer<typeof authenticateFrameSchema>;
export type ClientFrame = z.infer<typeof clientFrameSchema>;
/** What a caller passes to `encodeFrame`: `type` may be left out for `message`, as on the wire. */
export type ClientFrameInput = z.input<typeof clientFrameSchema>;
