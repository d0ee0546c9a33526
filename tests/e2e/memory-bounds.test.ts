import { configSchema } from '@botwire/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryBounds } from '../../packages/server/src/config/memory-bounds.js';
import { connectChat, type ChatSocket } from '../support/chat-socket.js';
import { closeAll } from '../support/e2e-helpers.js';
import { ADMIN_KEY, startServerProcess, type ServerProcess } from '../support/server-process.js';
import { createApiKey, fetchHistory } from '../support/stream-test-kit.js';

/** The attack, scaled down: these settings, and the bounds they give. */
const SETTINGS = {
  BOTWIRE_MAX_FRAME_BYTES: '65536',
  BOTWIRE_MAX_SEND_BUFFER_BYTES: '262144',
  BOTWIRE_MAX_CONNECTIONS_PER_PRINCIPAL: '4',
  BOTWIRE_MAX_MESSAGE_BYTES: '32768',
  BOTWIRE_PRINCIPAL_BYTES_PER_SECOND: '65536',
  BOTWIRE_PRINCIPAL_QUOTA_BYTES: '524288',
  BOTWIRE_REPLAY_BUDGET_BYTES: '131072',
  BOTWIRE_REPLAY_TOTAL_BYTES: '262144',
};
const CONFIG = configSchema.parse({
  websocket: {
    maxFrameBytes: 65_536,
    maxSendBufferBytes: 262_144,
    maxConnectionsPerPrincipal: 4,
    replayBudgetBytes: 131_072,
    replayTotalBytes: 262_144,
  },
  limits: {
    maxMessageBytes: 32_768,
    principalBytesPerSecond: 65_536,
    principalQuotaBytes: 524_288,
  },
});
const BOUNDS = memoryBounds(CONFIG);
const ATTACK_MS = 6_000;

function metric(text: string, sample: string): number {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${sample} `));
  return line === undefined ? Number.NaN : Number(line.slice(sample.length + 1));
}

async function scrape(baseUrl: string): Promise<string> {
  const response = await fetch(`${baseUrl}/metrics`, {
    headers: { authorization: `Bearer ${ADMIN_KEY}` },
  });
  return response.text();
}

/**
 * Issue 12, item 1: four connections of a key limited to one pipeline send the largest group
 * messages that mention nobody, at the frame rate, across named sessions. Memory and storage
 * must stay within the documented bounds; today the heap and the database grow without limit.
 */
describe('memory bounds under the worst-case client', () => {
  let server: ServerProcess;
  const chats: ChatSocket[] = [];

  beforeAll(async () => {
    server = await startServerProcess({ env: SETTINGS });
  });
  afterAll(async () => {
    await closeAll(chats);
    await server[Symbol.asyncDispose]();
  });

  it('holds replay memory, heap and stored bytes under the bounds', async () => {
    const key = await createApiKey(server, 'attacker', 'member', [server.defaultPipelineUuid]);
    const baseline = await scrape(server.url);
    const heapBefore = metric(baseline, 'botwire_process_nodejs_heap_size_used_bytes');
    for (let index = 0; index < 4; index += 1) {
      chats.push(
        await connectChat(server.wsUrl, server.defaultPipelineUuid, {
          token: key,
          query: `session_type=group&session=flood-${index % 3}`,
        }),
      );
    }
    const fits = 'x'.repeat(16_000); // 16 000 bytes of content plus the chain: under 32 KiB
    const tooLarge = 'x'.repeat(20_000); // 40 000 bytes with its chain: over the limit
    let maxReplayBytes = 0;
    const deadline = Date.now() + ATTACK_MS;
    let round = 0;
    while (Date.now() < deadline) {
      round += 1;
      for (const chat of chats) chat.sendText(round % 10 === 0 ? tooLarge : fits);
      if (round % 10 === 0) {
        maxReplayBytes = Math.max(
          maxReplayBytes,
          metric(await scrape(server.url), 'botwire_replay_bytes'),
        );
      }
      // The allowed 20 frames per second per connection.
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const after = await scrape(server.url);
    maxReplayBytes = Math.max(maxReplayBytes, metric(after, 'botwire_replay_bytes'));

    const codes = new Set(chats.flatMap((chat) => chat.ofType('error').map((frame) => frame.code)));
    expect(codes).toContain('MESSAGE_TOO_LARGE');
    expect(codes).toContain('BYTE_RATE_LIMITED');
    expect(codes).toContain('STORAGE_QUOTA_EXCEEDED');

    expect(maxReplayBytes).toBeGreaterThan(0);
    expect(maxReplayBytes).toBeLessThanOrEqual(BOUNDS.replayTotal);
    // Heap: the replay bound plus the connection bounds, with room for garbage not yet collected.
    const heapGrowth = metric(after, 'botwire_process_nodejs_heap_size_used_bytes') - heapBefore;
    expect(heapGrowth).toBeLessThan(BOUNDS.replayTotal + 4 * BOUNDS.connection + 48 * 1_048_576);

    let stored = 0;
    for (let index = 0; index < 3; index += 1) {
      const history = await fetchHistory(server, server.defaultPipelineUuid, 'group', {
        session: `flood-${index}`,
      });
      for (const message of history.messages) {
        stored +=
          Buffer.byteLength(message.content) +
          Buffer.byteLength(JSON.stringify(message.message_chain));
      }
    }
    expect(stored).toBeGreaterThan(0);
    expect(stored).toBeLessThanOrEqual(CONFIG.limits.principalQuotaBytes);
  });

  it('tells a client resuming from before the kept events to resync', async () => {
    const first = chats[0]?.ofType('user_message')[0];
    expect(first).toBeDefined();
    const resumed = await connectChat(server.wsUrl, server.defaultPipelineUuid, {
      query: `session_type=group&session=flood-0&last_seq=${(first?.seq ?? 1) - 1}`,
    });
    chats.push(resumed);
    await resumed.next('resync_required');
  });
});
