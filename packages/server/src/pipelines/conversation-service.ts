import {
  chainToText,
  type ChatMessage,
  type HistoryData,
  type HistoryQuery,
  type MessageChain,
  type Sender,
} from '@botwire/protocol';
import type { PlatformAdapter } from './platform-adapter.js';
import { BotwireError } from '../errors/botwire-error.js';
import type { ImageService } from '../images/image-service.js';
import type { Logger } from '../logging/logger.js';
import type { Metrics } from '../metrics/metrics.js';
import type { PipelineExecutor } from './pipeline-executor.js';
import { shouldReplyInGroup } from './group-trigger.js';
import type { PipelineService } from './pipeline-service.js';
import type { ConversationIdentity, Store } from '../storage/store.js';
import type { ConversationChannelFactory } from '../conversations/conversation-channel.js';
import type { ConversationEvent } from '../conversations/conversation-event.js';
import type { ReplyQueueFactory } from '../conversations/reply-queue.js';
import {
  ConversationRegistry,
  type ConversationRegistryOptions,
} from '../conversations/conversation-registry.js';
import type { ActiveConversation, GenerationJob } from './generation-job.js';

/** Options for {@link ConversationService}. */
export interface ConversationServiceOptions {
  store: Store;
  logger: Logger;
  metrics: Metrics;
  pipelines: PipelineService;
  executor: PipelineExecutor;
  /** Builds each conversation's event channel (in memory on a single node). */
  createChannel: ConversationChannelFactory;
  /** Builds each conversation's reply queue; in this process when absent (a single node). */
  createQueue?: ReplyQueueFactory<GenerationJob>;
  maxQueuedMessages: number;
  /** Bytes one history page carries at most; unbounded when absent. */
  maxHistoryPageBytes?: number;
  /** How many conversations are kept in memory at once; unbounded when absent. */
  memoryLimits?: Pick<ConversationRegistryOptions<GenerationJob>, 'maxLiveConversations'>;
  /** Checks `Image` components (and fills in uploaded images' URLs); images pass unchecked when absent. */
  images?: ImageService;
  /** Called after messages were deleted (a reset), so storage counters can be summed again. */
  onMessagesDeleted?: () => void;
  /** Randomness for the group probability rule; Math.random by default. */
  random?: () => number;
  now?: () => number;
}

/** A message to add to a conversation. */
export interface SubmittedMessage {
  conversation: ActiveConversation;
  chain: MessageChain;
  sender: Sender;
  connectionId: string | null;
  clientId: string | null;
  adapter: PlatformAdapter;
}

/** What became of a submitted message. */
export type SubmitOutcome =
  /** `replies` is false for a group message that matched no trigger rule: stored and shown, not answered. */
  | { kind: 'accepted'; message: ChatMessage; seq: number; replies: boolean }
  /** The client_id was seen before: nothing was processed again. `seq` is the original event's when still kept. */
  | { kind: 'duplicate'; message: ChatMessage; seq: number | undefined };

/**
 * Conversations: storing user messages before acknowledging them, queueing replies one at a
 * time, cancel, reset (history and model context alike) and history pages.
 */
export class ConversationService {
  readonly registry: ConversationRegistry<GenerationJob>;
  private accepting = true;
  private readonly now: () => number;

  constructor(private readonly options: ConversationServiceOptions) {
    this.now = options.now ?? Date.now;
    this.registry = new ConversationRegistry<GenerationJob>({
      store: options.store,
      logger: options.logger,
      createChannel: options.createChannel,
      ...(options.createQueue === undefined ? {} : { createQueue: options.createQueue }),
      recoverAbandoned: (conversation) => this.interruptAbandoned(conversation),
      maxQueuedMessages: options.maxQueuedMessages,
      ...options.memoryLimits,
      now: this.now,
      generate: async (conversation, job, context) => {
        const pipeline = await options.pipelines.find(conversation.identity.pipelineUuid);
        if (pipeline === undefined) return;
        await options.executor.execute({
          pipeline,
          conversation,
          job,
          context,
          adapter: job.adapter,
        });
      },
    });
  }

  open(identity: ConversationIdentity): Promise<ActiveConversation> {
    return this.registry.open(identity);
  }

  /**
   * Stores a user message, announces it to the conversation (the acknowledgement) and queues its
   * reply. A `clientId` seen before returns the original message and processes nothing.
   */
  async submitMessage(submitted: SubmittedMessage): Promise<SubmitOutcome> {
    if (!this.accepting) {
      throw new BotwireError(
        'SHUTTING_DOWN',
        'The server is shutting down; send the message again after reconnecting.',
      );
    }
    const { conversation, clientId } = submitted;
    const { store } = this.options;
    const pipeline = await this.options.pipelines.get(conversation.identity.pipelineUuid);
    // Images are checked before a queue slot is taken: a refused image costs nothing.
    const chain =
      this.options.images === undefined
        ? submitted.chain
        : await this.options.images.prepareChain({
            pipeline,
            conversationId: conversation.conversationId,
            chain: submitted.chain,
          });
    const replies =
      conversation.identity.sessionType === 'person' ||
      shouldReplyInGroup({
        pipeline,
        chain,
        ...(this.options.random ? { random: this.options.random } : {}),
      });
    // The queue slot is taken before the insert is awaited and given back if the message is not
    // stored, so two messages racing for the last slot cannot both be acknowledged (one of them
    // would never be answered).
    const reservation = replies ? await conversation.queue.reserve() : undefined;
    if (replies && reservation === undefined) {
      // A retry of a message stored before is acknowledged again even when the queue is full.
      const existing =
        clientId === null
          ? undefined
          : await store.messages.findByClientId(conversation.conversationId, clientId);
      if (existing !== undefined) return await this.duplicate(conversation, existing);
      throw new BotwireError(
        'QUEUE_FULL',
        `${this.options.maxQueuedMessages} messages are already waiting for a reply in this conversation; wait for them or cancel.`,
      );
    }
    const newMessage = {
      conversationId: conversation.conversationId,
      chain,
      content: chainToText(chain),
      sender: submitted.sender,
      connectionId: submitted.connectionId,
      clientId,
    };
    let message: ChatMessage;
    let reply: ChatMessage | undefined;
    try {
      // Resolves once the transaction holding it committed: only then is it acknowledged. A
      // reply that starts at once has its row stored in the same batch, so its first chunk can
      // leave with the acknowledgement instead of a commit later.
      if (reservation?.first === true) {
        ({ message, reply } = await store.messages.insertUserMessageWithReply(newMessage));
      } else {
        message = await store.messages.insertUserMessage(newMessage);
      }
    } catch (error) {
      reservation?.release();
      // The client_id is stored already (a retry, or two sends racing): that one is the message.
      const existing =
        clientId === null
          ? undefined
          : await store.messages.findByClientId(conversation.conversationId, clientId);
      if (existing !== undefined) return await this.duplicate(conversation, existing);
      throw error;
    }
    const storedAt = this.now();
    conversation.lastUsedAt = storedAt;
    let event: ConversationEvent;
    try {
      // Awaited before the reply is queued, so the reply's first chunk follows its message.
      event = await conversation.channel.append({
        type: 'user_message',
        data: { ...message, role: 'user' },
      });
    } finally {
      // Stored is stored: the message is answered even when its announcement failed (the
      // client, told of the failure, finds it in the history or by sending it again).
      reservation?.add({
        userMessage: message,
        storedAt,
        adapter: submitted.adapter,
        ...(reply === undefined ? {} : { reply }),
      });
    }
    return { kind: 'accepted', message, seq: event.seq, replies };
  }

  /** Stops the reply being generated (only `replyId`, when given); false when none matched. */
  cancel(conversation: ActiveConversation, replyId?: number): Promise<boolean> {
    return conversation.queue.cancel(replyId);
  }

  /**
   * Clears the conversation's history, which is also the model's context, after stopping any reply
   * in progress, and tells every connection of the conversation.
   */
  async reset(identity: ConversationIdentity): Promise<void> {
    const conversation = await this.registry.open(identity);
    // First: in a cluster it needs Redis, so a reset the other nodes could not hear of is refused
    // (CLUSTER_UNAVAILABLE) before anything is deleted.
    await conversation.queue.stopAll('cancelled');
    await this.options.store.messages.deleteConversationMessages(conversation.conversationId);
    await this.options.images?.deleteConversationImages(conversation.conversationId);
    this.options.onMessagesDeleted?.();
    await conversation.channel.append({
      type: 'session_reset',
      timestamp: new Date(this.now()).toISOString(),
    });
    this.options.logger.info({ conversation: conversation.key }, 'conversation reset');
  }

  async history(identity: ConversationIdentity, query: HistoryQuery): Promise<HistoryData> {
    const conversation = await this.registry.open(identity);
    const page = await this.options.store.messages.listHistory({
      conversationId: conversation.conversationId,
      limit: query.limit,
      ...(query.before === undefined ? {} : { before: query.before }),
      ...(this.options.maxHistoryPageBytes === undefined
        ? {}
        : { maxBytes: this.options.maxHistoryPageBytes }),
    });
    if (page.oversized !== undefined) {
      const { id, bytes } = page.oversized;
      throw new BotwireError(
        'HISTORY_TOO_LARGE',
        `Stored message ${id} has ${bytes} bytes, more than a history page carries (${this.options.maxHistoryPageBytes ?? 0}); read the messages before it with before=${id}.`,
      );
    }
    return {
      messages: page.messages,
      has_more: page.hasMore,
      last_seq: conversation.channel.lastSeq,
    };
  }

  /** Forgets the live conversations of a deleted pipeline, stopping their replies. */
  async dropPipeline(pipelineUuid: string): Promise<void> {
    const doomed = [...this.registry.all()].filter(
      (conversation) => conversation.identity.pipelineUuid === pipelineUuid,
    );
    for (const conversation of doomed) this.registry.forget(conversation);
    await Promise.all(doomed.map((conversation) => conversation.queue.stopAll('cancelled')));
  }

  /**
   * Stops taking messages, lets replies in flight finish for up to `graceMs`, then stops the rest;
   * those are stored as `interrupted` and their final chunk says so.
   */
  async shutdown(graceMs: number): Promise<void> {
    this.accepting = false;
    const conversations = [...this.registry.all()];
    const drained = Promise.all(conversations.map((conversation) => conversation.queue.drained()));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, graceMs);
    });
    await Promise.race([drained, timeout]);
    clearTimeout(timer);
    await Promise.all(conversations.map((conversation) => conversation.queue.relinquish()));
  }

  /**
   * Ends the replies a node that died left `streaming`: stored as `interrupted` with the text it
   * had saved, and their final chunk sent to the conversation, so its clients stop waiting.
   */
  private async interruptAbandoned(conversation: ActiveConversation): Promise<void> {
    const replies = await this.options.store.messages.interruptStreamingReplies(
      conversation.conversationId,
    );
    for (const reply of replies) {
      const chain: MessageChain =
        reply.message_chain.length > 0 || reply.content.length === 0
          ? reply.message_chain
          : [{ type: 'Plain', text: reply.content }];
      await conversation.channel.append({
        type: 'response',
        data: {
          id: reply.id,
          role: 'assistant',
          content: reply.content,
          delta: '',
          message_chain: chain,
          timestamp: reply.timestamp,
          is_final: true,
          status: 'interrupted',
          reply_to: reply.reply_to,
        },
      });
    }
    if (replies.length > 0) {
      this.options.logger.warn(
        { conversation: conversation.key, replies: replies.map((reply) => reply.id) },
        'marked replies left streaming by a node that stopped as interrupted',
      );
    }
  }

  private async duplicate(
    conversation: ActiveConversation,
    message: ChatMessage,
  ): Promise<SubmitOutcome> {
    const event = await conversation.channel.findUserMessage(message.id);
    return { kind: 'duplicate', message, seq: event?.seq };
  }
}
