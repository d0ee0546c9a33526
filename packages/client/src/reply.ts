import type { ChatMessage, MessageStatus } from '@botwire/protocol';
import type { BotwireClientError } from './client-error.js';

/** How a reply ended; what {@link Reply.done} resolves with. */
export interface ReplyResult {
  /** The reply's whole text. */
  text: string;
  /** `complete`, `cancelled`, `error` or `interrupted`. */
  status: MessageStatus;
  /** The reply as the server stored it. */
  message: ChatMessage;
}

/** What a {@link Reply} needs from its client. */
export interface ReplyHost {
  /** Sends `cancel` for reply `replyId`; throws `NOT_CONNECTED` without a connection. */
  cancel(replyId: number): void;
}

/**
 * The answer to one message sent with `WebSocketClient.send`: wait for it whole with
 * {@link Reply.done}, read it as it streams with `for await (const delta of reply)`, or stop it
 * with {@link Reply.cancel}.
 *
 * Every iteration sees every delta from the start, so it may begin late. `done` resolves when
 * the reply ended, whatever its status (an `error` status is a reply too); it rejects only when
 * the client stopped for good (`disconnect()`, a final close) before the reply ended. A message
 * that gets no reply (a group conversation where the bot was not addressed) never settles.
 */
export class Reply implements AsyncIterable<string> {
  /** The message this reply answers, as the server stored it. */
  readonly message: ChatMessage;
  /** Resolves with the reply's whole text and final status once it ended. */
  readonly done: Promise<ReplyResult>;
  private readonly deltas: string[] = [];
  private readonly wakers = new Set<() => void>();
  private latest: ChatMessage | undefined;
  private failure: BotwireClientError | undefined;
  private isCancelRequested = false;
  private settle!: { resolve(result: ReplyResult): void; reject(error: BotwireClientError): void };

  constructor(
    message: ChatMessage,
    private readonly host: ReplyHost,
  ) {
    this.message = message;
    this.done = new Promise<ReplyResult>((resolve, reject) => {
      this.settle = { resolve, reject };
    });
    // Awaiting `done` is optional: a rejection nobody waits for must not crash a Node process.
    this.done.catch(() => undefined);
  }

  /** The reply's message id, once its first chunk arrived. */
  get id(): number | undefined {
    return this.latest?.id;
  }

  /** The text so far. */
  get text(): string {
    return this.latest?.content ?? '';
  }

  /** Whether the reply ended (or the client stopped before it did). */
  get isDone(): boolean {
    return this.latest?.is_final === true || this.failure !== undefined;
  }

  /**
   * Stops the reply and resolves with how it ended: `cancelled`, or `complete` when it finished
   * first. Before the reply's first chunk the cancel waits for it, so it never stops another
   * reply. Rejects with `NOT_CONNECTED` when there is no connection to send it on.
   */
  cancel(): Promise<ReplyResult> {
    if (this.isDone) return this.done;
    this.isCancelRequested = true;
    const replyId = this.id;
    if (replyId !== undefined) {
      try {
        this.host.cancel(replyId);
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
    }
    return this.done;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<string> {
    let index = 0;
    for (;;) {
      while (index < this.deltas.length) {
        yield this.deltas[index] as string;
        index += 1;
      }
      if (this.failure !== undefined) throw this.failure;
      if (this.isDone) return;
      await new Promise<void>((resolve) => this.wakers.add(resolve));
    }
  }

  /** A new snapshot of the reply (from the client's frame handling). */
  update(message: ChatMessage): void {
    if (this.isDone) return;
    const previous = this.text;
    const isFirst = this.latest === undefined;
    this.latest = message;
    // After a resync a snapshot may not extend the text seen so far; it then carries it whole.
    const delta = message.content.startsWith(previous)
      ? message.content.slice(previous.length)
      : message.content;
    if (delta !== '') this.deltas.push(delta);
    if (isFirst && this.isCancelRequested && !message.is_final) {
      try {
        this.host.cancel(message.id);
      } catch {
        // No connection right now; the reply then ends as the server decides.
      }
    }
    if (message.is_final) {
      this.settle.resolve({ text: message.content, status: message.status, message });
    }
    this.wake();
  }

  /** The client stopped for good before the reply ended. */
  fail(error: BotwireClientError): void {
    if (this.isDone) return;
    this.failure = error;
    this.settle.reject(error);
    this.wake();
  }

  private wake(): void {
    const wakers = [...this.wakers];
    this.wakers.clear();
    for (const wake of wakers) wake();
  }
}
