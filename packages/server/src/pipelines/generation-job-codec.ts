import { chatMessageSchema } from '@botwire/protocol';
import { z } from 'zod';
import type { JobCodec } from '../cluster/redis-reply-queue.js';
import { readJsonColumn } from '../storage/json-column.js';
import type { GenerationJob } from './generation-job.js';
import type { PlatformAdapter } from './platform-adapter.js';

const encodedJobSchema = z.strictObject({
  user_message: chatMessageSchema,
  stored_at: z.number(),
  reply: z.optional(chatMessageSchema),
});

/**
 * Generation jobs as they travel between nodes: the stored user message, when it was stored and
 * the reply row stored with it. The adapter is not sent: every node replies through its own
 * instance of `adapter`, whose replies go to the conversation's shared channel.
 */
export function generationJobCodec(adapter: PlatformAdapter): JobCodec<GenerationJob> {
  return {
    encode: (job) =>
      JSON.stringify({
        user_message: job.userMessage,
        stored_at: job.storedAt,
        ...(job.reply === undefined ? {} : { reply: job.reply }),
      } satisfies z.input<typeof encodedJobSchema>),
    decode: (text) => {
      const decoded = readJsonColumn(text, encodedJobSchema, undefined);
      if (decoded === undefined) return undefined;
      const { user_message, stored_at, reply } = decoded;
      return {
        userMessage: user_message,
        storedAt: stored_at,
        adapter,
        ...(reply === undefined ? {} : { reply }),
      };
    },
  };
}
