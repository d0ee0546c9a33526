import { z } from 'zod';
import { chatMessageSchema, sessionTypeSchema } from './chat-message.js';

/**
 * REST bodies of the conversation list (`GET /api/v1/pipelines/<uuid>/conversations`) and of
 * one conversation's messages by id (`GET /api/v1/pipelines/<uuid>/conversations/<id>/messages`).
 */

/** One conversation of a pipeline, newest activity first in the list. */
export const conversationSummarySchema = z.object({
  /** Stable id, for the messages endpoint. */
  id: z.number().int(),
  session_type: sessionTypeSchema,
  /** The session name the conversation was opened with (`default` unless a client named one). */
  session: z.string(),
  /** For a person conversation: the principal it belongs to (`user:1`, `key:3`); null for a group. */
  owner: z.string().nullable(),
  /** Messages stored, user messages and replies. */
  message_count: z.number().int().nonnegative(),
  /** The newest message, or null for a conversation that has none (yet, or after a reset). */
  last_message: z.nullable(chatMessageSchema),
  created_at: z.string(),
});
export type ConversationSummary = z.infer<typeof conversationSummarySchema>;

export const conversationListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const conversationListDataSchema = z.object({
  conversations: z.array(conversationSummarySchema),
});
export type ConversationListData = z.infer<typeof conversationListDataSchema>;

export const conversationMessagesQuerySchema = z.object({
  /** A message id: only messages older than it (paging back). */
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

export const conversationMessagesDataSchema = z.object({
  conversation: conversationSummarySchema,
  /** Oldest first. */
  messages: z.array(chatMessageSchema),
  /** Whether older messages exist before the first one returned. */
  has_more: z.boolean(),
});
export type ConversationMessagesData = z.infer<typeof conversationMessagesDataSchema>;
