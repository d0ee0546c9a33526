import type { ChatMessage, SessionType } from '@botwire/protocol';
import type { Prompt, PromptImage, PromptMessage } from '../runners/runner.js';
import type { StoredPipeline } from '../storage/store.js';

/** Options for {@link buildPrompt}. */
export interface PromptOptions {
  pipeline: StoredPipeline;
  sessionType: SessionType;
  /** Recent stored messages, oldest first; may include the message itself and later ones. */
  history: readonly ChatMessage[];
  /** The user message being answered. */
  message: ChatMessage;
  /** The images of user messages by message id, for models marked `vision`. */
  images?: ReadonlyMap<number, readonly PromptImage[]>;
}

function userText(message: ChatMessage, sessionType: SessionType): string {
  // Several people share a group conversation; the model tells them apart by name.
  if (sessionType === 'group' && message.sender)
    return `${message.sender.name}: ${message.content}`;
  return message.content;
}

/**
 * The model's view of a conversation: the system prompt, the last `memory.turns` turns (a user
 * message and its reply, when it had one), then the message being answered. Replies are placed
 * after the message they answer even when queued messages arrived in between. Failed replies are
 * left out; cancelled and interrupted ones are kept as far as they went, as the user saw them.
 */
export function buildPrompt(options: PromptOptions): Prompt {
  const { pipeline, sessionType, history, message } = options;
  const userMessage = (entry: ChatMessage): PromptMessage => {
    const images = options.images?.get(entry.id);
    return images === undefined || images.length === 0
      ? { role: 'user', text: userText(entry, sessionType) }
      : { role: 'user', text: userText(entry, sessionType), images };
  };
  const turns = pipeline.memory.turns;
  // A reply row is created when its generation starts, so it can have a larger id than user
  // messages queued meanwhile: turns are matched through reply_to, not by position.
  const userMessages = history.filter((entry) => entry.role === 'user' && entry.id < message.id);
  const remembered = turns === 0 ? [] : userMessages.slice(-turns);
  const replies = new Map<number, ChatMessage>();
  for (const entry of history) {
    if (
      entry.role === 'assistant' &&
      entry.reply_to !== null &&
      entry.status !== 'error' &&
      entry.content !== ''
    ) {
      replies.set(entry.reply_to, entry);
    }
  }
  const messages: PromptMessage[] = [];
  for (const entry of remembered) {
    messages.push(userMessage(entry));
    const reply = replies.get(entry.id);
    if (reply !== undefined) messages.push({ role: 'assistant', text: reply.content });
  }
  messages.push(userMessage(message));
  return { system: pipeline.system_prompt, messages };
}

/**
 * How many of the newest stored messages to load so that `turns` turns are among them: each
 * turn is at most two messages, plus room for messages queued after the one being answered.
 */
export function historyWindow(turns: number, maxQueuedMessages: number): number {
  return turns * 2 + maxQueuedMessages + 2;
}
