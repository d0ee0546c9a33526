import {
  encodeFrame,
  textToChain,
  type ChatMessage,
  type FrameValidator,
  type MessageChain,
} from '@botwire/protocol';
import { BotwireClientError } from './client-error.js';
import type { OutboxEntry } from './outbox.js';

/** A message waiting in the outbox for its acknowledgement. */
export interface PendingSend extends OutboxEntry {
  /** The encoded `message` frame, sent again as is after a reconnect. */
  text: string;
  /** The socket generation it was last sent on; undefined while it has not gone out. */
  sentOn: number | undefined;
  resolve(message: ChatMessage): void;
  reject(error: BotwireClientError): void;
}

/** The encoded `message` frame, or why the server would refuse it. */
export type EncodedMessage = { ok: true; text: string } | { ok: false; error: BotwireClientError };

/**
 * Encodes the `message` frame of `chainOrText` (text becomes one `Plain` component) and checks it
 * with the client's frame validator: a chain the server would refuse fails here, at once and by
 * the call that sent it, instead of as an error frame that names no message.
 */
export function encodeMessageFrame(
  chainOrText: string | MessageChain,
  clientId: string,
  validator: FrameValidator,
): EncodedMessage {
  const message = typeof chainOrText === 'string' ? textToChain(chainOrText) : chainOrText;
  const text = encodeFrame({ type: 'message', message, client_id: clientId });
  const checked = validator.checkClientFrame(text);
  if (!checked.ok) {
    return {
      ok: false,
      error: new BotwireClientError({ code: checked.error.code, message: checked.error.message }),
    };
  }
  return { ok: true, text };
}
