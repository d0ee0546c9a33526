import type { Logger } from '../logging/logger.js';
import type { Store } from '../storage/store.js';
import type { ConversationChannelFactory } from './conversation-channel.js';
import { InMemoryConversationChannel } from './in-memory-conversation-channel.js';
import type { ReplayMemory } from './replay-memory.js';

/** Options for {@link inMemoryChannelFactory}. */
export interface InMemoryChannelFactoryOptions {
  /** Where seq reservations are kept, so a restart continues above them. */
  store: Store;
  logger: Logger;
  /** Events each conversation keeps for clients resuming with `last_seq`. */
  replayWindow: number;
  /** Bytes each conversation keeps for replay; unbounded when absent. */
  replayBudgetBytes?: number;
  /** The process-wide account of replay memory. */
  replayMemory?: ReplayMemory;
}

/**
 * Seqs are reserved in the database in blocks, so a restart continues above every seq handed out
 * before it without a write per event.
 */
const SEQ_BLOCK = 1_000;

/**
 * The single node's channels: {@link InMemoryConversationChannel}s whose seqs survive restarts
 * through reservations in the store. A reopened conversation starts above everything reserved
 * before, so a client still holding an old seq is told to resync instead of silently missing
 * events.
 */
export function inMemoryChannelFactory(
  options: InMemoryChannelFactoryOptions,
): ConversationChannelFactory {
  const { store, logger } = options;
  return async (target) => {
    // Leave one unused seq above the old reservation so nothing from before the restart matches.
    const startSeq = target.seqReserved + 1;
    let reserved = startSeq + SEQ_BLOCK;
    await store.conversations.reserveSeq(target.conversationId, reserved);
    return new InMemoryConversationChannel({
      lastSeq: startSeq,
      replayWindow: options.replayWindow,
      ...(options.replayBudgetBytes === undefined
        ? {}
        : { replayBudgetBytes: options.replayBudgetBytes }),
      ...(options.replayMemory === undefined ? {} : { replayMemory: options.replayMemory }),
      onSequence: (lastSeq) => {
        if (lastSeq < reserved - SEQ_BLOCK / 2) return;
        reserved = lastSeq + SEQ_BLOCK;
        store.conversations.reserveSeq(target.conversationId, reserved).catch((error: unknown) => {
          logger.error(
            { err: error, conversation: target.key },
            'could not reserve event sequence numbers',
          );
        });
      },
    });
  };
}
