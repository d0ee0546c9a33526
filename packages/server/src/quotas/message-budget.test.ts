import type { MessageChain } from '@botwire/protocol';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { Principal } from '../auth/principal.js';
import { DEFAULT_CONFIG } from '../config/config.js';
import { BotwireError } from '../errors/botwire-error.js';
import { openSqliteStore } from '../storage/kysely-store.js';
import { MessageBudget, storedMessageBytes } from './message-budget.js';

const member: Principal = {
  kind: 'api_key',
  id: 'key:1',
  name: 'member',
  role: 'member',
  pipelines: null,
};

function text(size: number): MessageChain {
  return [{ type: 'Plain', text: 'é'.repeat(size) }];
}

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return error instanceof BotwireError ? error.code : String(error);
  }
}

describe('MessageBudget', () => {
  it('counts UTF-8 bytes of content and stored chain, as the store does', async () => {
    const store = await openSqliteStore({ file: ':memory:' });
    onTestFinished(() => store.close());
    const pipeline = await store.pipelines.create({
      name: 'p',
      description: '',
      runner: { type: 'echo' },
    } as never);
    const conversation = await store.conversations.getOrCreate({
      pipelineUuid: pipeline.uuid,
      sessionType: 'person',
      key: 'k',
    });
    const chain = text(1_000);
    const { chainToText } = await import('@botwire/protocol');
    await store.messages.insertUserMessage({
      conversationId: conversation.id,
      chain,
      content: chainToText(chain),
      sender: { id: member.id, name: member.name },
      connectionId: null,
      clientId: null,
    });
    expect(await store.usage.userMessageBytesOfSender(member.id)).toBe(storedMessageBytes(chain));
    expect(await store.usage.userMessageBytesOfPipeline(pipeline.uuid)).toBe(
      storedMessageBytes(chain),
    );
  });

  it('refuses a message over the size limit, a burst over the byte rate, and past the quota', async () => {
    let now = 0;
    const stored = { sender: 0, pipeline: 0 };
    const budget = new MessageBudget({
      usage: {
        userMessageBytesOfSender: () => Promise.resolve(stored.sender),
        userMessageBytesOfPipeline: () => Promise.resolve(stored.pipeline),
      },
      limits: {
        ...DEFAULT_CONFIG.limits,
        maxMessageBytes: 10_000,
        principalBytesPerSecond: 5_000,
        principalQuotaBytes: 60_000,
      },
      now: () => now,
    });
    const send = (size: number) =>
      budget.reserve({ principal: member, pipelineUuid: 'p', chain: text(size) });
    expect(await codeOf(send(6_000))).toBe('MESSAGE_TOO_LARGE');
    // Capacity is four seconds' worth: 20 000 bytes, four messages of about 4 KB (2 bytes per é, twice).
    for (let index = 0; index < 4; index += 1) expect(await codeOf(send(1_000))).toBeUndefined();
    expect(await codeOf(send(1_000))).toBe('BYTE_RATE_LIMITED');
    for (let second = 1; second <= 20; second += 1) {
      now = second * 1_000;
      const code = await codeOf(send(1_000));
      if (code !== undefined) {
        expect(code).toBe('STORAGE_QUOTA_EXCEEDED');
        return;
      }
    }
    throw new Error('the quota was never reached');
  });

  it('gives a cancelled reservation back', async () => {
    const budget = new MessageBudget({
      usage: {
        userMessageBytesOfSender: () => Promise.resolve(0),
        userMessageBytesOfPipeline: () => Promise.resolve(0),
      },
      limits: { ...DEFAULT_CONFIG.limits, principalQuotaBytes: 10_000 },
    });
    for (let index = 0; index < 10; index += 1) {
      const reservation = await budget.reserve({
        principal: member,
        pipelineUuid: 'p',
        chain: text(2_000),
      });
      reservation.cancel();
    }
    expect(
      await codeOf(budget.reserve({ principal: member, pipelineUuid: 'p', chain: text(2_000) })),
    ).toBeUndefined();
  });
});
