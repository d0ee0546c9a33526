import { BotwireError } from '../errors/botwire-error.js';
import type { Logger } from '../logging/logger.js';
import type { ConversationIdentity, Store } from '../storage/store.js';
import type { ConversationChannel, ConversationChannelFactory } from './conversation-channel.js';
import { conversationKeyOf } from './conversation-key.js';
import { inMemoryQueueFactory } from './generation-queue.js';
import type { GenerationContext, ReplyQueue, ReplyQueueFactory } from './reply-queue.js';

/**
 * A conversation that is in use: its event stream and its reply queue. `TJob` is what the queue
 * holds, the pipeline core's business (`GenerationJob`): this folder does not look inside.
 */
export interface LiveConversation<TJob = unknown> {
  identity: ConversationIdentity;
  key: string;
  conversationId: number;
  channel: ConversationChannel;
  queue: ReplyQueue<TJob>;
  lastUsedAt: number;
}

/** Options for {@link ConversationRegistry}. */
export interface ConversationRegistryOptions<TJob> {
  store: Store;
  logger: Logger;
  /**
   * Conversations kept in memory at once. At the limit, one nobody is connected to is dropped to
   * make room; when every one is in use, opening another fails with `CONVERSATION_LIMIT`.
   */
  maxLiveConversations?: number;
  maxQueuedMessages: number;
  /** Generates one reply. */
  generate: (
    conversation: LiveConversation<TJob>,
    job: TJob,
    context: GenerationContext,
  ) => Promise<void>;
  /** Builds each conversation's event channel: chosen by the composition root. */
  createChannel: ConversationChannelFactory;
  /** Builds each conversation's reply queue; in this process when absent (a single node). */
  createQueue?: ReplyQueueFactory<TJob>;
  /** Ends the replies a dead node left in progress (see `ReplyQueueTarget.recoverAbandoned`). */
  recoverAbandoned?: (conversation: LiveConversation<TJob>) => Promise<void>;
  now?: () => number;
}

/**
 * Opens conversations on first use and keeps them while they are in use. Each gets its event
 * channel from the factory it was given (which one, in memory or shared, is the composition
 * root's choice) and its reply queue.
 */
export class ConversationRegistry<TJob> {
  private readonly live = new Map<string, LiveConversation<TJob>>();
  private readonly opening = new Map<string, Promise<LiveConversation<TJob>>>();
  private readonly now: () => number;

  constructor(private readonly options: ConversationRegistryOptions<TJob>) {
    this.now = options.now ?? Date.now;
  }

  /** The conversation, loaded from the store on first use. */
  async open(identity: ConversationIdentity): Promise<LiveConversation<TJob>> {
    const key = conversationKeyOf(identity);
    const existing = this.live.get(key);
    if (existing !== undefined) {
      existing.lastUsedAt = this.now();
      return existing;
    }
    let pending = this.opening.get(key);
    if (pending === undefined) {
      pending = this.load(identity, key).finally(() => this.opening.delete(key));
      this.opening.set(key, pending);
    }
    return pending;
  }

  /** The conversation if it is in memory. */
  peek(identity: ConversationIdentity): LiveConversation<TJob> | undefined {
    return this.live.get(conversationKeyOf(identity));
  }

  all(): IterableIterator<LiveConversation<TJob>> {
    return this.live.values();
  }

  /** The number of conversations in memory. */
  get size(): number {
    return this.live.size;
  }

  /** Forgets a conversation (its pipeline was deleted). */
  forget(conversation: LiveConversation<TJob>): void {
    if (this.live.get(conversation.key) !== conversation) return;
    this.live.delete(conversation.key);
    conversation.queue.close();
    conversation.channel.close().catch((error: unknown) => {
      this.options.logger.error(
        { err: error, conversation: conversation.key },
        'could not close a conversation channel',
      );
    });
  }

  /** Drops conversations nobody is connected to, idle and unused for `idleMs`. */
  sweep(idleMs: number): number {
    const threshold = this.now() - idleMs;
    let dropped = 0;
    for (const conversation of this.live.values()) {
      if (
        conversation.channel.subscriberCount === 0 &&
        !conversation.queue.isBusy &&
        conversation.lastUsedAt < threshold
      ) {
        this.forget(conversation);
        dropped += 1;
      }
    }
    return dropped;
  }

  /**
   * Makes room for one more conversation under `maxLiveConversations`: drops the first one found
   * that nobody is connected to and that generates nothing (insertion order, so roughly the
   * oldest), or fails when every conversation in memory is in use.
   */
  private makeRoom(): void {
    const limit = this.options.maxLiveConversations;
    // Called before this conversation is counted among those opening.
    if (limit === undefined || this.live.size + this.opening.size < limit) return;
    for (const conversation of this.live.values()) {
      if (conversation.channel.subscriberCount === 0 && !conversation.queue.isBusy) {
        this.forget(conversation);
        if (this.live.size + this.opening.size < limit) return;
      }
    }
    throw new BotwireError(
      'CONVERSATION_LIMIT',
      `The server holds ${limit} conversations in use (maxLiveConversations); try again later.`,
    );
  }

  private async load(identity: ConversationIdentity, key: string): Promise<LiveConversation<TJob>> {
    this.makeRoom();
    const stored = await this.options.store.conversations.getOrCreate(identity);
    const channel = await this.options.createChannel({
      key,
      conversationId: stored.id,
      seqReserved: stored.seqReserved,
    });
    const logger = this.options.logger;
    const createQueue = this.options.createQueue ?? inMemoryQueueFactory<TJob>();
    const conversation: LiveConversation<TJob> = {
      identity,
      key,
      conversationId: stored.id,
      channel,
      lastUsedAt: this.now(),
      queue: createQueue({
        identity,
        key,
        conversationId: stored.id,
        maxQueued: this.options.maxQueuedMessages,
        run: (job, context) => this.options.generate(conversation, job, context),
        onError: (error) =>
          logger.error({ err: error, conversation: key }, 'reply generation failed'),
        recoverAbandoned: () => this.options.recoverAbandoned?.(conversation) ?? Promise.resolve(),
      }),
    };
    this.live.set(key, conversation);
    return conversation;
  }
}
