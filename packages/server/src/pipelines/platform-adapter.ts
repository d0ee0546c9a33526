import type { ErrorCode, ResponseData } from '@botwire/protocol';
import type { ConversationChannel } from '../conversations/conversation-channel.js';

/** An adapter's self-description, as the seed's websocket.yaml was. */
export interface AdapterManifest {
  /** Stable identifier, e.g. `websocket`. */
  name: string;
  label: string;
  description: string;
  /** JSON Schema of the adapter's settings. */
  settingsSchema: Record<string, unknown>;
  /** Built-in adapters are wired by the server itself and left out of user-facing lists. */
  builtIn: boolean;
}

/** The conversation a reply goes to. */
export interface ReplyTarget {
  pipelineUuid: string;
  conversationKey: string;
  channel: ConversationChannel;
}

/** A reply that failed, reported to the conversation's participants. */
export interface ReplyFailure {
  code: ErrorCode;
  message: string;
  replyId: number;
}

/**
 * The boundary between a chat transport and the pipeline core. The core produces replies and
 * hands them to the adapter that the message came from; it never touches sockets.
 *
 * The core pipelines a reply's chunks: it calls `replyChunk` for each without awaiting it and
 * awaits only the final chunk and the failure report. An adapter therefore keeps the order of
 * its calls, settles each promise after the earlier ones, and never lets a rejection of a
 * chunk's promise go unhandled (the final chunk carries the whole reply).
 */
export interface PlatformAdapter {
  readonly manifest: AdapterManifest;
  /** Whether replies may be delivered chunk by chunk; otherwise only the final chunk is sent. */
  isStreamSupported(): boolean;
  /** Delivers one chunk of a reply in progress; the last one has `is_final`. */
  replyChunk(target: ReplyTarget, chunk: ResponseData): Promise<unknown>;
  /** Delivers a whole reply at once. */
  reply(target: ReplyTarget, message: ResponseData): Promise<unknown>;
  /** Pushes a notice to every participant of a pipeline; returns how many it reached. */
  broadcast(pipelineUuid: string, text: string): number;
  /**
   * Tells a conversation's participants that a reply failed, after its final chunk. Like the
   * chunks, it is an event of the conversation: a participant who was away gets it too.
   */
  reportFailure(target: ReplyTarget, failure: ReplyFailure): Promise<unknown>;
}
