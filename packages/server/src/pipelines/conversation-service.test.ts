import { Writable } from 'node:stream';
import type { RunnerConfig } from '@botwire/protocol';
import { describe, expect, it } from 'vitest';
import { WebSocketAdapter } from '../adapters/websocket-adapter.js';
import { ConnectionManager } from '../connections/connection-manager.js';
import { createLogger } from '../logging/logger.js';
import { Metrics } from '../metrics/metrics.js';
import { PipelineExecutor } from './pipeline-executor.js';
import { PipelineService } from './pipeline-service.js';
import {
  STORE_DIALECTS,
  useTemporaryStores,
  type TemporaryStoreOptions,
} from '../storage/temporary-store.test-support.js';
import type { WriteOperation } from '../storage/write-batch.js';
import { ConversationService } from './conversation-service.js';
import { inMemoryChannelFactory } from '../conversations/in-memory-channel-factory.js';

describe.each(STORE_DIALECTS)('on %s', (dialect) => {
  const temporaryStores = useTemporaryStores(dialect);

  /** A conversation service over a real store of the dialect, with the bench runner answering. */
  async function openService(options: {
    runner: RunnerConfig;
    maxQueuedMessages: number;
    progressSaveIntervalMs?: number;
    store?: TemporaryStoreOptions;
  }) {
    const { store, db } = await temporaryStores.open(options.store);
    const logger = createLogger({
      level: 'warn',
      destination: new Writable({ write: (_chunk, _encoding, done) => done() }),
    });
    const metrics = new Metrics();
    const pipelines = new PipelineService({ store, logger });
    const pipeline = await store.pipelines.create({
      name: 'P',
      description: '',
      runner: options.runner,
    });
    const executor = new PipelineExecutor({
      store,
      logger,
      metrics,
      maxQueuedMessages: options.maxQueuedMessages,
      ...(options.progressSaveIntervalMs === undefined
        ? {}
        : { progressSaveIntervalMs: options.progressSaveIntervalMs }),
    });
    const service = new ConversationService({
      store,
      logger,
      metrics,
      pipelines,
      executor,
      createChannel: inMemoryChannelFactory({ store, logger, replayWindow: 100 }),
      maxQueuedMessages: options.maxQueuedMessages,
    });
    const conversation = await service.open({
      pipelineUuid: pipeline.uuid,
      sessionType: 'person',
      key: 'alice',
    });
    const adapter = new WebSocketAdapter(new ConnectionManager());
    const submit = (text: string, clientId: string | null = null) =>
      service.submitMessage({
        conversation,
        chain: [{ type: 'Plain', text }],
        sender: { id: 'alice', name: 'Alice' },
        connectionId: null,
        clientId,
        adapter,
      });
    return { service, conversation, submit, store, db };
  }

  describe('ConversationService', () => {
    it('admits only as many messages as the queue holds when they arrive at the same time', async () => {
      // The first reply streams for a minute, so the second message waits and fills the queue.
      const { service, submit, db, conversation } = await openService({
        runner: { type: 'bench', settings: { chunks: 2, chunk_bytes: 8, interval_ms: 60_000 } },
        maxQueuedMessages: 1,
      });
      await submit('first');
      expect(conversation.queue.isBusy).toBe(true);

      // Both pass any check made before the insert is awaited; only one may be acknowledged.
      const outcomes = await Promise.allSettled([submit('second'), submit('third')]);
      const accepted = outcomes.filter((outcome) => outcome.status === 'fulfilled');
      const refused = outcomes.filter((outcome) => outcome.status === 'rejected');
      expect(accepted).toHaveLength(1);
      expect(refused).toHaveLength(1);
      expect(refused[0]?.status === 'rejected' && refused[0].reason).toMatchObject({
        code: 'QUEUE_FULL',
      });
      // The refused message was not stored either: nothing is kept that will not be answered.
      const stored = await db
        .selectFrom('messages')
        .select('content')
        .where('role', '=', 'user')
        .execute();
      const acceptedText = outcomes[0]?.status === 'fulfilled' ? 'second' : 'third';
      expect(stored.map((row) => row.content).sort()).toEqual(['first', acceptedText].sort());
      await service.shutdown(0);
    });

    it('gives the slot back when a message turns out to be a retry, and acknowledges the retry', async () => {
      const { service, submit } = await openService({
        runner: { type: 'bench', settings: { chunks: 2, chunk_bytes: 8, interval_ms: 60_000 } },
        maxQueuedMessages: 1,
      });
      await submit('first', 'client-1');
      const retry = await submit('first', 'client-1');
      expect(retry.kind).toBe('duplicate');
      // The retry took no slot: one more message still fits behind the running reply.
      expect((await submit('second', 'client-2')).kind).toBe('accepted');
      // Full now, but a retry of a stored message is still acknowledged, not refused.
      expect((await submit('second', 'client-2')).kind).toBe('duplicate');
      await expect(submit('third', 'client-3')).rejects.toMatchObject({ code: 'QUEUE_FULL' });
      await service.shutdown(0);
    });

    it('saves a streaming reply by appending only what streamed since the last save', async () => {
      const progress: Extract<WriteOperation, { kind: 'append-reply-progress' }>[] = [];
      const { submit, conversation, db } = await openService({
        runner: { type: 'bench', settings: { chunks: 200, chunk_bytes: 50, interval_ms: 0 } },
        maxQueuedMessages: 1,
        // Save after every chunk: the old full-text save would write 200 prefixes (about 1 MB).
        progressSaveIntervalMs: 0,
        store: {
          wrapWriteExecutor: (executor) => ({
            execute: (operations) => {
              for (const operation of operations) {
                if (operation.kind === 'append-reply-progress') progress.push(operation);
              }
              return executor.execute(operations);
            },
          }),
        },
      });
      await submit('go');
      await conversation.queue.drained();

      const reply = await db
        .selectFrom('messages')
        .select(['content', 'status'])
        .where('role', '=', 'assistant')
        .executeTakeFirstOrThrow();
      expect(reply.status).toBe('complete');
      expect(reply.content).toHaveLength(200 * 50);
      expect(progress.length).toBeGreaterThan(1);
      // Each save starts where the previous ended and carries only the new text: linear in total.
      let expectedStart = 0;
      for (const save of progress) {
        expect(save.start).toBe(expectedStart);
        expect(reply.content.slice(save.start, save.start + save.text.length)).toBe(save.text);
        expectedStart += save.text.length;
      }
      const written = progress.reduce((sum, save) => sum + save.text.length, 0);
      expect(written).toBeLessThanOrEqual(reply.content.length);
      expect(await db.selectFrom('reply_progress').selectAll().execute()).toEqual([]);
    });
  });
});
