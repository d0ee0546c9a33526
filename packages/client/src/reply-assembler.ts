import type { ChatMessage, ResponseData } from '@botwire/protocol';

/** How the server encodes reply chunks on a connection (the `stream` query parameter). */
export type StreamMode = 'delta' | 'cumulative';

/**
 * Turns `response` chunks into whole messages, one per reply `id`, so two replies streaming at
 * once (or a new one starting while an old one finishes) never overwrite each other.
 *
 * Every call to {@link ReplyAssembler.apply} returns a NEW object (an immutable snapshot): the
 * previous snapshot of the same reply is left as it was. Apps can keep it in state and compare
 * by identity to know it changed.
 *
 * - `delta` mode: intermediate chunks carry only the added text in `delta`; it is appended.
 * - `cumulative` mode: every chunk's `content` is the whole text so far; it replaces.
 * - In both modes the final chunk (`is_final`) carries the whole text in `content`, which
 *   replaces whatever was assembled, so a reply joined half-way (after a resync) still ends
 *   complete.
 */
export class ReplyAssembler {
  private readonly replies = new Map<number, ChatMessage>();

  constructor(private readonly mode: StreamMode) {}

  /** Applies one chunk and returns the reply as it stands now. */
  apply(chunk: ResponseData): ChatMessage {
    const previous = this.replies.get(chunk.id);
    const { delta, ...fields } = chunk;
    let content: string;
    if (chunk.is_final || this.mode === 'cumulative') content = chunk.content;
    else content = (previous?.content ?? '') + delta;
    const message: ChatMessage = { ...fields, content };
    // A finished reply gets no more chunks: forgetting it keeps a long session's memory flat.
    if (chunk.is_final) this.replies.delete(chunk.id);
    else this.replies.set(chunk.id, message);
    return message;
  }

  /** The replies still streaming, oldest first. */
  inProgress(): ChatMessage[] {
    return [...this.replies.values()];
  }

  /** Forgets every reply in progress (after a reset, or a resync that leaves gaps). */
  clear(): void {
    this.replies.clear();
  }
}
