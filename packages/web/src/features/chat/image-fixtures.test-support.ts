import type { ChatMessage, MessageChain } from '@botwire/client';
import type { ImageAttachments } from './useImageAttachments.js';

const noop = (): void => undefined;

/** The composer's attachments with nothing attached, or with `overrides`, for rendering. */
export function staticAttachments(overrides: Partial<ImageAttachments> = {}): ImageAttachments {
  return {
    attachments: [],
    errors: [],
    uploading: false,
    add: noop,
    remove: noop,
    restore: noop,
    uploadAll: () => Promise.resolve([]),
    clear: noop,
    dismissErrors: noop,
    ...overrides,
  };
}

/** An uploaded image's component as the server stores it. */
export const SERVED_IMAGE = {
  type: 'Image',
  image_id: 'img_Q2x7v0cJm1oYb9rX3kq8Uw2a',
  url: '/api/v1/images/img_Q2x7v0cJm1oYb9rX3kq8Uw2a',
  media_type: 'image/png',
  bytes: 1_234,
} as const;

/** A stored message with the given chain (`content` as the server writes it). */
export function messageWithChain(
  id: number,
  role: ChatMessage['role'],
  chain: MessageChain,
  content: string,
): ChatMessage {
  return {
    id,
    role,
    content,
    message_chain: chain,
    timestamp: '2026-01-01T00:00:00.000Z',
    is_final: true,
    status: 'complete',
    reply_to: role === 'assistant' ? id - 1 : null,
  };
}
