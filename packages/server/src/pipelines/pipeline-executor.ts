import type { MessageChain, MessageStatus, Pipeline, ResponseData } from '@botwire/protocol';
import type { PlatformAdapter, ReplyTarget } from '../adapters/platform-adapter.js';
import type { GenerationJob, LiveConversation } from '../conversations/conversation-registry.js';
import type { GenerationContext, StopReason } from '../conversations/generation-queue.js';
import type { Logger } from '../logging/logger.js';
import type { Metrics } from '../metrics/metrics.js';
import { createRunner } from '../runners/runner-registry.js';
import type { Store } from '../storage/store.js';

/** Options for {@link PipelineExecutor}. */
export interface PipelineExecutorOptions {
  store: Store;
  logger: Logger;
  metrics: Metrics;
  /** How often the text of a reply in progress is saved, so a crash loses at most this much. */
  progressSaveIntervalMs?: number;
  now?: () => number;
}

const DEFAULT_PROGRESS_SAVE_INTERVAL_MS = 1_000;

/** One reply to generate. */
export interface Execution {
  pipeline: Pipeline;
  conversation: LiveConversation;
  job: GenerationJob;
  context: GenerationContext;
  adapter: PlatformAdapter;
}

function isStopReason(value: unknown): value is StopReason {
  return value === 'cancelled' || value === 'interrupted';
}

/**
 * The transport-agnostic pipeline core: runs a pipeline's runner for one user message and
 * streams the reply through the adapter the message came from. Every chunk of a reply carries
 * the same id (the stored reply's), so a new message can never overwrite a reply in progress.
 * The reply is stored before its final chunk is sent, so a client that reloads history after
 * the final chunk finds it.
 */
export class PipelineExecutor {
  private readonly now: () => number;

  constructor(private readonly options: PipelineExecutorOptions) {
    this.now = options.now ?? Date.now;
  }

  async execute(execution: Execution): Promise<void> {
    const { pipeline, conversation, job, context, adapter } = execution;
    const { store, metrics } = this.options;
    const logger = this.options.logger.child({
      pipeline: pipeline.uuid,
      conversation: conversation.key,
    });
    const reply = await store.messages.insertReply({
      conversationId: conversation.conversationId,
      replyTo: job.userMessage.id,
    });
    context.setReplyId(reply.id);
    const target: ReplyTarget = {
      pipelineUuid: pipeline.uuid,
      conversationKey: conversation.key,
      channel: conversation.channel,
    };
    const streaming = adapter.isStreamSupported();
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

    let content = '';
    let status: Exclude<MessageStatus, 'streaming'> = 'complete';
    let failure: string | undefined;
    let firstChunkSent = false;
    const saveInterval = this.options.progressSaveIntervalMs ?? DEFAULT_PROGRESS_SAVE_INTERVAL_MS;
    let lastSavedAt = this.now();
    let saving: Promise<void> = Promise.resolve();
    try {
      const runner = createRunner(pipeline.runner);
      for await (const output of runner.run({
        pipeline,
        message: job.userMessage,
        signal: context.signal,
      })) {
        if (context.signal.aborted) break;
        if (output.text.length === 0) continue;
        content += output.text;
        if (this.now() - lastSavedAt >= saveInterval) {
          lastSavedAt = this.now();
          const snapshot = content;
          // Not awaited: streaming never waits on the disk; saves run one after another.
          saving = saving
            .then(() => store.messages.saveReplyProgress(reply.id, snapshot))
            .catch((error: unknown) =>
              logger.warn({ err: error }, 'could not save reply progress'),
            );
        }
        if (streaming) {
          adapter.replyChunk(target, chunk(content, output.text, 'streaming', []));
          if (!firstChunkSent) {
            firstChunkSent = true;
            metrics.firstChunkLatency.observe((this.now() - job.storedAt) / 1000);
          }
        }
      }
    } catch (error) {
      if (!context.signal.aborted) {
        status = 'error';
        failure = error instanceof Error ? error.message : String(error);
        logger.error({ err: error }, 'runner failed');
      }
    }
    if (context.signal.aborted) {
      const reason: unknown = context.signal.reason;
      status = isStopReason(reason) ? reason : 'cancelled';
    }

    await saving;
    const chain: MessageChain | [] = content.length > 0 ? [{ type: 'Plain', text: content }] : [];
    await store.messages.finishReply({ id: reply.id, content, chain, status });
    const final = chunk(content, '', status, chain);
    if (streaming) adapter.replyChunk(target, final);
    else adapter.reply(target, final);
    if (failure !== undefined) {
      metrics.errors.inc({ code: 'RUNNER_FAILED' });
      adapter.reportFailure(target, {
        code: 'RUNNER_FAILED',
        message: `Pipeline "${pipeline.name}" (${pipeline.uuid}) failed to reply: ${failure}`,
        replyId: reply.id,
      });
    }
    metrics.replies.inc({ status });
    metrics.replyLatency.observe((this.now() - job.storedAt) / 1000);
  }
}
