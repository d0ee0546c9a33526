import type { ChatMessage } from '@botwire/protocol';
import type { LiveConversation } from '../conversations/conversation-registry.js';
import type { PlatformAdapter } from './platform-adapter.js';

/** A reply waiting to be generated. */
export interface GenerationJob {
  userMessage: ChatMessage;
  /** When the user message was stored, for latency metrics. */
  storedAt: number;
  /** The adapter the message came through; the reply goes back through it. */
  adapter: PlatformAdapter;
  /** The reply's row, when it was stored together with the message (its reply started at once). */
  reply?: ChatMessage;
}

/** A live conversation whose queue holds reply jobs: what the pipeline core works on. */
export type ActiveConversation = LiveConversation<GenerationJob>;
