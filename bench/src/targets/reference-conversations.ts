import { setImmediate as yieldToEventLoop, setTimeout as sleep } from 'node:timers/promises';

/** Chunks sent back to back before yielding, as Botwire's bench runner (`BENCH_BURST_CHUNKS`). */
const BURST_CHUNKS = 32;
import { benchChunk } from '../bench-chunk.js';
import type { ReplySettings } from './target.js';

/** A frame as the reference servers build it: the same fields Botwire's frames have. */
export type ReferenceFrame = Record<string, unknown>;

/** One conversation of a reference server: its event counter and its reply queue. */
interface Conversation {
  seq: number;
  /** The reply being streamed, so replies of one conversation run one at a time, like Botwire's. */
  running: Promise<void>;
}

/** Options for {@link ReferenceConversations}. */
export interface ReferenceConversationsOptions {
  reply: ReplySettings;
  /** Delivers one conversation event to every subscriber of the conversation. */
  deliver(session: string, frame: ReferenceFrame): void;
}

let nextMessageId = 1;

/**
 * The job both reference servers do, with no features around it: number a conversation's events
 * (`seq`), acknowledge a user message with a `user_message` frame, then stream the bench reply as
 * `response` frames in delta form (the final frame carries the whole text, as Botwire's does).
 * No storage, no auth, no replay: this is the floor for Node.
 */
export class ReferenceConversations {
  private readonly conversations = new Map<string, Conversation>();

  constructor(private readonly options: ReferenceConversationsOptions) {}

  /** The newest `seq` of a conversation (0 when it has none), for the `connected` frame. */
  lastSeq(session: string): number {
    return this.conversations.get(session)?.seq ?? 0;
  }

  /** Handles a user message: acknowledge it, then queue its reply. */
  receiveMessage(session: string, text: string): void {
    const conversation = this.conversation(session);
    const messageId = nextMessageId++;
    const timestamp = new Date().toISOString();
    this.emit(session, conversation, {
      type: 'user_message',
      data: {
        id: messageId,
        role: 'user',
        content: text,
        message_chain: [{ type: 'Plain', text }],
        timestamp,
        is_final: true,
        status: 'complete',
        reply_to: null,
      },
    });
    conversation.running = conversation.running.then(() =>
      this.streamReply(session, conversation, messageId),
    );
  }

  private conversation(session: string): Conversation {
    let conversation = this.conversations.get(session);
    if (conversation === undefined) {
      conversation = { seq: 0, running: Promise.resolve() };
      this.conversations.set(session, conversation);
    }
    return conversation;
  }

  private emit(session: string, conversation: Conversation, frame: ReferenceFrame): void {
    conversation.seq += 1;
    frame.seq = conversation.seq;
    this.options.deliver(session, frame);
  }

  private async streamReply(
    session: string,
    conversation: Conversation,
    replyTo: number,
  ): Promise<void> {
    const { chunks, chunkBytes, intervalMs } = this.options.reply;
    const id = nextMessageId++;
    const timestamp = new Date().toISOString();
    let content = '';
    // Timed exactly like Botwire's bench runner (packages/server/src/runners/bench-runner.ts),
    // so all targets get the same work: chunk i is due i × interval after the first, chunks
    // that fell due while waiting follow at once, and at most BURST_CHUNKS leave without
    // letting the event loop run.
    const startedAt = performance.now();
    let burstChunks = 0;
    for (let index = 0; index < chunks; index += 1) {
      if (index > 0) {
        const wait = startedAt + index * intervalMs - performance.now();
        if (wait > 0 || burstChunks >= BURST_CHUNKS) {
          await (wait > 0 ? sleep(wait) : yieldToEventLoop());
          burstChunks = 0;
        }
      }
      burstChunks += 1;
      const delta = benchChunk(index, chunkBytes);
      content += delta;
      this.emit(session, conversation, {
        type: 'response',
        data: {
          id,
          role: 'assistant',
          content: '',
          delta,
          message_chain: [],
          timestamp,
          is_final: false,
          status: 'streaming',
          reply_to: replyTo,
        },
      });
    }
    this.emit(session, conversation, {
      type: 'response',
      data: {
        id,
        role: 'assistant',
        content,
        delta: '',
        message_chain: [{ type: 'Plain', text: content }],
        timestamp,
        is_final: true,
        status: 'complete',
        reply_to: replyTo,
      },
    });
  }
}

/** Reads the reply settings the reference servers take as flags: `--chunks 10 --chunk-bytes 64`. */
export function parseReplyFlags(argv: readonly string[]): ReplySettings & { recovery: boolean } {
  const value = (flag: string, fallback: number): number => {
    const position = argv.indexOf(flag);
    const text = position === -1 ? undefined : argv[position + 1];
    const parsed = text === undefined ? fallback : Number(text);
    if (!Number.isFinite(parsed)) throw new Error(`${flag} must be a number`);
    return parsed;
  };
  return {
    chunks: value('--chunks', 10),
    chunkBytes: value('--chunk-bytes', 64),
    intervalMs: value('--interval-ms', 10),
    recovery: argv.includes('--recovery'),
  };
}

/** The text of a message frame's chain (Plain parts joined), as the reference servers read it. */
export function messageText(frame: unknown): string {
  const chain = (frame as { message?: unknown } | null)?.message;
  if (!Array.isArray(chain)) return '';
  return chain
    .map((part: unknown) => {
      const text = (part as { text?: unknown } | null)?.text;
      return typeof text === 'string' ? text : '';
    })
    .join('');
}
