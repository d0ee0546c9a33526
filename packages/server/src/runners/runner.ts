import type { ChatMessage } from '@botwire/protocol';
import type { StoredPipeline } from '../storage/store.js';

/**
 * An image for the model: its bytes with their type (uploaded images, data URIs), or a URL the
 * provider fetches itself (the server never fetches it).
 */
export type PromptImage = { data: Uint8Array; mediaType: string } | { url: string };

/** One message of the prompt a model sees. */
export interface PromptMessage {
  role: 'user' | 'assistant';
  /** In group conversations, user text starts with the sender's name ("Alice: ..."). */
  text: string;
  /** The images of a user message, for models marked `vision`. */
  images?: readonly PromptImage[];
}

/** The prompt for one reply: system prompt, remembered turns, then the message being answered. */
export interface Prompt {
  system: string;
  /** Oldest first; the last one is the message being answered. */
  messages: PromptMessage[];
}

/** What a runner is asked to answer. */
export interface RunnerInput {
  pipeline: StoredPipeline;
  /** The user message being answered (already stored). */
  message: ChatMessage;
  prompt: Prompt;
  /** Aborted when the reply is cancelled or the server shuts down; runners must stop promptly. */
  signal: AbortSignal;
  /** Called once at the end by runners that call a model, with what the provider reported. */
  onUsage?: (usage: RunnerUsage) => void;
}

/** What a model provider reported about a reply; fields it did not report are undefined. */
export interface RunnerUsage {
  inputTokens: number | undefined;
  outputTokens: number | undefined;
  finishReason: string | undefined;
}

/** One piece of a runner's output. */
export interface TextDelta {
  type: 'text-delta';
  text: string;
}

/**
 * Produces a pipeline's reply as a stream of text deltas. Runners know nothing of transports,
 * storage or frames; the pipeline executor turns their output into reply chunks. A runner that
 * fails throws a BotwireError whose code says why (MODEL_AUTH_FAILED, MODEL_TIMEOUT, ...).
 */
export interface Runner {
  run(input: RunnerInput): AsyncIterable<TextDelta>;
  /**
   * Each delta is one chunk on the wire, never joined with others. The bench runner's contract
   * is K chunks of S bytes; model tokens, by contrast, are coalesced.
   */
  readonly exactChunks?: boolean;
}
