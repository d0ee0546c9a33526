import type {
  ConversationChannel,
  ConversationListener,
  SubscribeOutcome,
} from './conversation-channel.js';
import type { ConversationEventFrame } from '@botwire/protocol';
import { ConversationEvent, type UnsequencedEventFrame } from './conversation-event.js';
import { ReplayBuffer } from './replay-buffer.js';
import type { ReplayMemory } from './replay-memory.js';
import { ReplyTranscript } from './reply-transcript.js';

/** Options for {@link InMemoryConversationChannel}. */
export interface ConversationChannelOptions {
  /** The seq the stream continues after. */
  lastSeq: number;
  replayWindow: number;
  /** Bytes of events this conversation keeps for replay; unbounded when absent. */
  replayBudgetBytes?: number;
  /** The process-wide account of replay memory. */
  replayMemory?: ReplayMemory;
  /** Called after each append with the new last seq, so the caller can persist a reservation. */
  onSequence?: (lastSeq: number) => void;
}

/**
 * The in-process conversation channel, for a single node: seqs from a counter, the replay
 * window in a ring buffer, delivery by direct calls. Subscribing and replaying happen in one
 * synchronous step, so a resuming client can neither miss nor repeat an event.
 */
export class InMemoryConversationChannel implements ConversationChannel {
  private sequence: number;
  private readonly buffer: ReplayBuffer;
  private readonly listeners = new Set<ConversationListener>();
  /** The first seq this process issued; anything at or before it is not in the buffer. */
  private readonly floorSeq: number;
  /** The reply streaming now (one at a time per conversation), whose chunks share its text. */
  private transcript: ReplyTranscript | undefined;

  constructor(private readonly options: ConversationChannelOptions) {
    this.sequence = options.lastSeq;
    this.floorSeq = options.lastSeq;
    this.buffer = new ReplayBuffer(options.replayWindow, {
      ...(options.replayBudgetBytes === undefined
        ? {}
        : { budgetBytes: options.replayBudgetBytes }),
      ...(options.replayMemory === undefined ? {} : { memory: options.replayMemory }),
    });
  }

  get lastSeq(): number {
    return this.sequence;
  }

  get subscriberCount(): number {
    return this.listeners.size;
  }

  append(frame: UnsequencedEventFrame): ConversationEvent {
    this.sequence += 1;
    const sequenced: ConversationEventFrame = { ...frame, seq: this.sequence };
    const event = new ConversationEvent(sequenced, this.transcriptFor(sequenced));
    this.buffer.push(event);
    this.options.onSequence?.(this.sequence);
    for (const listener of this.listeners) listener(event);
    event.settle();
    return event;
  }

  /**
   * The transcript a streaming chunk can be kept against, or undefined when the event must be
   * kept whole (anything but a streaming chunk, or a chunk whose content does not extend the
   * reply's text by its delta).
   */
  private transcriptFor(frame: ConversationEventFrame): ReplyTranscript | undefined {
    if (frame.type !== 'response') return undefined;
    const chunk = frame.data;
    if (chunk.is_final) {
      if (this.transcript?.replyId === chunk.id) this.transcript = undefined;
      return undefined;
    }
    if (this.transcript?.replyId === chunk.id && this.transcript.extend(chunk)) {
      return this.transcript;
    }
    const fresh = new ReplyTranscript(chunk.id);
    if (fresh.extend(chunk)) {
      this.transcript = fresh;
      return fresh;
    }
    // Content that is not the concatenation of the deltas: keep this chunk whole and continue
    // the reply's transcript from its content.
    this.transcript = new ReplyTranscript(chunk.id, chunk.content);
    return undefined;
  }

  subscribe(listener: ConversationListener, afterSeq?: number): SubscribeOutcome {
    this.listeners.add(listener);
    const lastSeq = this.sequence;
    if (afterSeq === undefined || afterSeq === lastSeq) return { kind: 'live', lastSeq };
    if (afterSeq > lastSeq || afterSeq < this.floorSeq) return { kind: 'resync', lastSeq };
    const oldest = this.buffer.oldestSeq;
    if (oldest === undefined || oldest > afterSeq + 1) return { kind: 'resync', lastSeq };
    return { kind: 'resumed', lastSeq, missed: this.buffer.after(afterSeq) };
  }

  findEvent(predicate: (event: ConversationEvent) => boolean): ConversationEvent | undefined {
    return this.buffer.findLast(predicate);
  }

  unsubscribe(listener: ConversationListener): void {
    this.listeners.delete(listener);
  }

  close(): void {
    this.buffer.clear();
    this.transcript = undefined;
  }
}
