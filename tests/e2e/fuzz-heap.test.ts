import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { configSchema, createLogger, startBotwire } from '@botwire/server';
import { describe, expect, it } from 'vitest';
import { runFuzz } from '../fuzz/frame-fuzzer.js';

const KEY = 'fuzz-heap-admin-key-0123456789abcdef';
const ROUNDS = 3;
const FRAMES_PER_ROUND = Number(process.env.FUZZ_HEAP_FRAMES ?? 8_000);

/**
 * Whether fuzzing leaks: an embedded server is fuzzed in rounds, and the heap still in use after
 * a full garbage collection must not grow from round to round. Resident memory alone cannot say
 * this (V8 and the allocator keep freed memory), so this is the leak check behind the fuzz
 * test's RSS bound. It takes about a minute, so it runs on demand:
 *
 *   FUZZ_HEAP_CHECK=1 npx vitest run tests/e2e/fuzz-heap.test.ts
 */
describe.runIf(process.env.FUZZ_HEAP_CHECK === '1')('fuzz: heap retained after collection', () => {
  it('stays flat across rounds', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const server = await startBotwire({
      config: configSchema.parse({
        port: 0,
        databaseFile: ':memory:',
        auth: { apiKeys: [KEY], adminPassword: 'admin-password-123' },
        websocket: { maxFrameBytes: 65_536, maxFramesPerSecond: 200 },
      }),
      logger: createLogger({ level: 'silent' }),
    });
    try {
      const connectUrl = `${server.url.replace(/^http/, 'ws')}/api/v1/pipelines/${server.defaultPipelineUuid}/ws/connect?session_type=group&session=fuzz`;
      const retained: number[] = [];
      for (let round = 1; round <= ROUNDS; round += 1) {
        await runFuzz({
          connectUrl,
          token: KEY,
          frames: FRAMES_PER_ROUND,
          seed: round,
          connections: 6,
          framesPerSecond: 180,
          maxFrameBytes: 65_536,
          burstFrames: 420,
          timeLimitMs: 120_000,
        });
        // Let closing handshakes and their one-second cut-off timers finish.
        await new Promise((resolve) => setTimeout(resolve, 1_500));
        gc();
        gc();
        retained.push(process.memoryUsage().heapUsed);
      }
      process.stdout.write(`${JSON.stringify({ retainedHeapAfterEachRound: retained })}\n`);
      // The first round fills the replay buffer (4 MiB at most); later rounds add nothing.
      const first = retained[0] ?? 0;
      for (const later of retained.slice(1)) expect(later - first).toBeLessThan(8 * 1_048_576);
    } finally {
      await server.stop();
    }
  }, 600_000);
});
