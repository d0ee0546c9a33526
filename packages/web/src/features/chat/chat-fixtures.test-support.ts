import type { ChatMessage } from '@botwire/client';
import { chatReducer, initialChatState, type ChatAction, type ChatState } from './chat-state.js';

/** A stored user message, as the server sends it. */
export function user(id: number, text: string, clientId?: string): ChatMessage {
  return {
    id,
    role: 'user',
    content: text,
    message_chain: [{ type: 'Plain', text }],
    timestamp: '2026-01-01T00:00:00.000Z',
    is_final: true,
    status: 'complete',
    reply_to: null,
    client_id: clientId ?? null,
  };
}

/** A reply chunk (in progress unless `final`). */
export function reply(
  id: number,
  replyTo: number,
  content: string,
  final = false,
  status: ChatMessage['status'] = final ? 'complete' : 'streaming',
): ChatMessage {
  return {
    id,
    role: 'assistant',
    content,
    message_chain: final && content !== '' ? [{ type: 'Plain', text: content }] : [],
    timestamp: '2026-01-01T00:00:01.000Z',
    is_final: final,
    status,
    reply_to: replyTo,
  };
}

/** A `sent` action for plain text. */
export function sent(clientId: string, text: string, queued = false): ChatAction {
  return {
    type: 'sent',
    clientId,
    chain: [{ type: 'Plain', text }],
    text,
    timestamp: '2026-01-01T00:00:02.000Z',
    queued,
  };
}

/** Applies `actions` in order. */
export const run = (actions: ChatAction[], from: ChatState = initialChatState): ChatState =>
  actions.reduce(chatReducer, from);
