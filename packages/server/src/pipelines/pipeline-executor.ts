import {
  isModelRunner,
  type ChatMessage,
  type ErrorCode,
  type MessageChain,
  type MessageStatus,
  type ResponseData,
} from '@botwire/protocol';
import type { PlatformAdapter, ReplyTarget } from './platform-adapter.js';
import type { ActiveConversation, GenerationJob } from './generation-job.js';
import type { GenerationContext, StopReason } from '../conversations/reply-queue.js';
import { BotwireError } from '../errors/botwire-error.js';
import type { Logger } from '../logging/logger.js';
import type { Metrics } from '../metrics/metrics.js';
import type { ImageService } from '../images/image-service.js';
import { createRunner } from '../runners/runner-registry.js';
import type { PromptImage } from '../runners/runner.js';
import type { Store, StoredPipeline } from '../storage/store.js';
import { ChunkCoalescer } from './chunk-coalescer.js';
import { buildPrompt, historyWindow } from './prompt-builder.js';
import { ReplyFiguresRecorder } from './reply-figures.js';

/** Options for {@link PipelineExecutor}. */
export interface PipelineExecutorOptions {
  store: Store;
  logger: Logger;
  metrics: Metrics;
  /** Messages that may wait behind a reply; sizes the history window for the prompt. */
  maxQueuedMessages: number;
  /** How often the text of a reply in progress is saved, so a crash loses at most this much. */
  progressSaveIntervalMs?: number;
  /** Loads the images of messages for models marked `vision`; without it models get text only. */
  images?: ImageService;
  now?: () => number;
}

const DEFAULT_PROGRESS_SAVE_INTERVAL_MS = 1_000;

/** The prompt images of a pipeline whose model takes none: shared, never written to. */
const NO_IMAGES: ReadonlyMap<number, PromptImage[]> = new Map();

/** One reply to generate. */
export interface Execution {
  pipeline: StoredPipeline;
  conversation: ActiveConversation;
  job: GenerationJob;
  context: GenerationContext;
  adapter: PlatformAdapter;
}

function isStopReason(value: unknown): value is StopReason {
  return value === 'cancelled' || value === 'interrupted';
}

/** Runner failures whose code says more than RUNNER_FAILED keep it. */
function failureCode(error: unknown): ErrorCode {
  return error instanceof BotwireError && error.code.startsWith('MODEL_')
    ? error.code
    : 'RUNNER_FAILED';
}

/** In group replies with `mention_sender_in_group`, the reply starts with a mention of the sender. */
function senderMention(execution: Execution): { text: string; chain: MessageChain } | undefined {
  const sender = execution.job.userMessage.sender;
  if (execution.conversation.identity.sessionType !== 'group') return undefined;
  if (!execution.pipeline.output.mention_sender_in_group || !sender) return undefined;
  return {
    text: `@${sender.name} `,
    chain: [{ type: 'At', target: sender.id, display: sender.name }],
  };
}

/**
 * The transport-agnostic pipeline core: builds the prompt from the conversation's stored history,
 * runs the pipeline's runner and streams the reply through the adapter the message came from.
 * Every chunk of a reply carries the same id (the stored reply's), so a new message can never
 * overwrite a reply in progress. The reply is stored before its final chunk is sent, so a client
 * that reloads history after the final chunk finds it.
 */
export class PipelineExecutor {
  private readonly now: () => number;

  constructor(private readonly options: PipelineExecutorOptions) {
    this.now = options.now ?? Date.now;
  }

  async execute(execution: Execution): Promise<void> {
    const { pipeline, conversation, job, context, adapter } = execution;
    const { store, metrics } = this.options;
    // Built only when something is logged: a child logger per reply serializes its bindings,
    // a cost every message paid although almost none of them log anything.
    let replyLogger: Logger | undefined;
    const logger = (): Logger =>
      (replyLogger ??= this.options.logger.child({
        pipeline: pipeline.uuid,
        conversation: conversation.key,
      }));
    // Only model runners read the prompt; echo and bench would not look at the history.
    const history = isModelRunner(pipeline.runner)
      ? await this.loadHistory(conversation, pipeline.memory.turns)
      : [];
    const reply =
      job.reply ??
      (await store.messages.insertReply({
        conversationId: conversation.conversationId,
        replyTo: job.userMessage.id,
      }));
    context.setReplyId(reply.id);
    const target: ReplyTarget = {
      pipelineUuid: pipeline.uuid,
      conversationKey: conversation.key,
      channel: conversation.channel,
    };
    const streaming = adapter.isStreamSupported() && pipeline.output.streaming;
    const chunk = (
      content: string,
      delta: string,
      status: MessageStatus,
      chain: MessageChain | [],
    ): ResponseData => ({
      id: reply.id,
      role: 'assistant',
      content,
      delta,
      message_chain: chain,
      timestamp: reply.timestamp,
      is_final: status !== 'streaming',
      status,
      reply_to: job.userMessage.id,
    });

    const mention = senderMention(execution);
    const figures = new ReplyFiguresRecorder({ startedAt: job.storedAt, now: this.now });
    let content = '';
    let firstChunkSent = false;
    const saveInterval = this.options.progressSaveIntervalMs ?? DEFAULT_PROGRESS_SAVE_INTERVAL_MS;
    let lastSavedAt = this.now();
    let savedLength = 0;
    let saving: Promise<void> = Promise.resolve();
    const send = (delta: string): void => {
      content += delta;
      figures.recordChunk(delta);
      if (!streaming) return;
      // Pipelined, not awaited: the adapter keeps the order, and awaiting the final chunk below
      // waits for every chunk before it (no promise reaction per chunk on the hot path).
      void adapter.replyChunk(target, chunk(content, delta, 'streaming', []));
      if (!firstChunkSent) {
        firstChunkSent = true;
        metrics.firstChunkLatency.observe((this.now() - job.storedAt) / 1000);
      }
    };

    let status: Exclude<MessageStatus, 'streaming'> = 'complete';
    let failure: { code: ErrorCode; message: string } | undefined;
    const runner = createRunner(pipeline.runner);
    const coalescer = new ChunkCoalescer({
      windowMs: runner.exactChunks === true ? 0 : pipeline.output.coalesce_ms,
      emit: send,
    });
    try {
      const prompt = buildPrompt({
        pipeline,
        sessionType: conversation.identity.sessionType,
        history,
        message: job.userMessage,
        images: this.takesImages(pipeline)
          ? await this.promptImages(conversation.conversationId, [...history, job.userMessage])
          : NO_IMAGES,
      });
      let started = false;
      for await (const output of runner.run({
        pipeline,
        message: job.userMessage,
        prompt,
        signal: context.signal,
        onUsage: (usage) => figures.recordUsage(usage),
      })) {
        if (context.signal.aborted) break;
        if (output.text.length === 0) continue;
        coalescer.push(
          !started && mention !== undefined ? mention.text + output.text : output.text,
        );
        started = true;
        if (this.now() - lastSavedAt >= saveInterval && content.length > savedLength) {
          lastSavedAt = this.now();
          // Only what streamed since the last save: saving costs what is new, never the whole
          // reply again (a long reply would make that quadratic). Not awaited: streaming never
          // waits on the disk; the save joins the turn's write batch.
          const start = savedLength;
          const text = content.slice(start);
          savedLength = content.length;
          saving = store.messages
            .appendReplyProgress(reply.id, start, text)
            .catch((error: unknown) =>
              logger().warn({ err: error }, 'could not save reply progress'),
            );
        }
      }
    } catch (error) {
      if (!context.signal.aborted) {
        status = 'error';
        failure = {
          code: failureCode(error),
          message: error instanceof Error ? error.message : String(error),
        };
        if (failure.code === 'RUNNER_FAILED') logger().error({ err: error }, 'runner failed');
        else logger().warn({ code: failure.code, reason: failure.message }, 'model request failed');
      }
    }
    coalescer.flush();
    if (context.signal.aborted) {
      const reason: unknown = context.signal.reason;
      status = isStopReason(reason) ? reason : 'cancelled';
    }

    await saving;
    const chain: MessageChain | [] =
      content.length === 0
        ? []
        : mention === undefined
          ? [{ type: 'Plain', text: content }]
          : [...mention.chain, { type: 'Plain', text: content.slice(mention.text.length) }];
    const replyFigures = figures.finish(content);
    // Figures go with the final text: one write of the group commit, no statement of their own.
    await store.messages.finishReply({
      id: reply.id,
      content,
      chain,
      status,
      hadProgress: savedLength > 0,
      figures: replyFigures,
    });
    const final: ResponseData = { ...chunk(content, '', status, chain), figures: replyFigures };
    if (streaming) await adapter.replyChunk(target, final);
    else await adapter.reply(target, final);
    if (failure !== undefined) {
      metrics.errors.inc({ code: failure.code });
      await adapter.reportFailure(target, {
        code: failure.code,
        message: `Pipeline "${pipeline.name}" (${pipeline.uuid}) could not reply: ${failure.message}`,
        replyId: reply.id,
      });
    }
    metrics.countReply(status);
    metrics.replyLatency.observe((this.now() - job.storedAt) / 1000);
  }

  /** Whether the pipeline's model takes images and this server can load them. */
  private takesImages(pipeline: StoredPipeline): boolean {
    const runner = pipeline.runner;
    return this.options.images !== undefined && isModelRunner(runner) && runner.settings.vision;
  }

  /** The images of user messages, by message id; only for pipelines that {@link takesImages}. */
  private async promptImages(
    conversationId: number,
    messages: readonly ChatMessage[],
  ): Promise<Map<number, PromptImage[]>> {
    const found = new Map<number, PromptImage[]>();
    const images = this.options.images;
    if (images === undefined) return found;
    for (const message of messages) {
      if (message.role !== 'user' || found.has(message.id)) continue;
      if (!message.message_chain.some((component) => component.type === 'Image')) continue;
      found.set(message.id, await images.promptImagesOf(message.message_chain, conversationId));
    }
    return found;
  }

  private async loadHistory(
    conversation: ActiveConversation,
    turns: number,
  ): Promise<ChatMessage[]> {
    if (turns === 0) return [];
    const page = await this.options.store.messages.listHistory({
      conversationId: conversation.conversationId,
      limit: historyWindow(turns, this.options.maxQueuedMessages),
    });
    return page.messages;
  }
}
