import type { UserMessageFrame } from '@botwire/protocol';
import { expect } from 'vitest';
import type { ServerProcessOptions } from './server-process.js';
import type { TestResources } from './stream-test-kit.js';
import { createBenchPipeline, fetchHistory, within } from './stream-test-kit.js';

/** Options for {@link killDuringBurst}. */
export interface BurstKillOptions {
  resources: TestResources;
  /** How every server process of the test starts (the store's settings, its data dir). */
  server: ServerProcessOptions;
  /** Messages each connection sends at once. */
  perConnection?: number;
}

/** What the clients saw before the kill, and how to check it against a restarted server. */
export interface BurstKillOutcome {
  /** Per connection, the acknowledgements (`user_message` frames) received before the kill. */
  acknowledged: UserMessageFrame[][];
  /** Starts a new server on the same store and checks every acknowledged message is in its history. */
  expectAcknowledgedInHistory(): Promise<void>;
}

const SESSIONS = ['burst-0', 'burst-1', 'burst-2', 'burst-3'];

/**
 * The write path's guard rail, for any store: four connections send a burst of messages with
 * client ids, the server is killed with SIGKILL once 20 are acknowledged (checked on every frame,
 * so the kill lands mid-burst even on a fast machine), and every acknowledged message must be
 * in the history a restarted server reads.
 */
export async function killDuringBurst(options: BurstKillOptions): Promise<BurstKillOutcome> {
  const { resources, server } = options;
  const perConnection = options.perConnection ?? 1_000;
  const first = await resources.startServer(server);
  const pipeline = await createBenchPipeline(first, 'burst', {
    chunks: 1,
    chunk_bytes: 8,
    interval_ms: 0,
  });
  const chats = await Promise.all(
    SESSIONS.map((session) =>
      resources.connect(first, pipeline, { query: `session_type=person&session=${session}` }),
    ),
  );
  for (const [index, chat] of chats.entries()) {
    for (let message = 0; message < perConnection; message += 1) {
      chat.sendText(`m-${index}-${message}`, { client_id: `c-${index}-${message}` });
    }
  }
  await Promise.race(
    chats.map((chat) =>
      chat.waitFor(
        (frames) => frames.filter((frame) => frame.type === 'user_message').length >= 20,
      ),
    ),
  );
  await first.kill();
  await Promise.all(chats.map((chat) => within(chat.closed, 3_000, 'socket close')));
  const acknowledged = chats.map((chat) => chat.ofType('user_message'));
  const total = acknowledged.reduce((sum, frames) => sum + frames.length, 0);
  expect(total).toBeGreaterThan(0);
  // The kill came in the middle of the burst, not after it.
  expect(total).toBeLessThan(chats.length * perConnection);

  return {
    acknowledged,
    async expectAcknowledgedInHistory(): Promise<void> {
      const second = await resources.startServer(server);
      for (const [index, session] of SESSIONS.entries()) {
        const history = await fetchHistory(second, pipeline, 'person', { session });
        const stored = new Map(
          history.messages
            .filter((message) => message.role === 'user')
            .map((message) => [message.id, message]),
        );
        for (const ack of acknowledged[index] ?? []) {
          expect(stored.get(ack.data.id)).toMatchObject({
            content: ack.data.content,
            client_id: ack.data.client_id,
          });
        }
      }
    },
  };
}
