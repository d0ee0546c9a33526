import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFuzz } from '../fuzz/frame-fuzzer.js';
import { connectChat, type ChatSocket } from '../support/chat-socket.js';
import { closeAll } from '../support/e2e-helpers.js';
import { ADMIN_KEY, startServerProcess, type ServerProcess } from '../support/server-process.js';
import { createApiKey } from '../support/stream-test-kit.js';

/**
 * Issue 12, item 5: a repeatable fuzz run against a real server, ending with a normal chat and
 * the resident memory within a stated bound of where it started. The test suite runs the short
 * mode; the full run of the issue is
 *
 *   npm run build && FUZZ_FRAMES=100000 npx vitest run tests/e2e/fuzz.test.ts
 *
 * (FUZZ_SEED picks another repeatable run; the report is printed.)
 */
const FRAMES = Number(process.env.FUZZ_FRAMES ?? 3_000);
const SEED = Number(process.env.FUZZ_SEED ?? 12);
const MAX_FRAME_BYTES = 65_536;
const FRAMES_PER_SECOND = 200;
const CONNECTIONS = 6;
/** Time the fuzzing may take: four times the paced duration (a shared machine is slow), plus 10 s. */
const TIME_LIMIT_MS =
  Math.ceil((FRAMES / (CONNECTIONS * FRAMES_PER_SECOND * 0.9)) * 4_000) + 10_000;
/**
 * The stated bound: resident memory may end at most this much above where it started. It is the
 * room V8 and the allocator take to serve the fuzz's allocations (freed memory is not given
 * back at once), not memory held: tests/e2e/fuzz-heap.test.ts shows the heap still in use after
 * a full collection stays flat across rounds. Measured: +74 MB after 20,000 frames, +135 MB after
 * 100,000 (see the closing note).
 */
const RSS_BOUND_BYTES = 192 * 1_048_576;

function metric(text: string, sample: string): number {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${sample} `));
  return line === undefined ? 0 : Number(line.slice(sample.length + 1));
}

async function scrape(baseUrl: string): Promise<string> {
  const response = await fetch(`${baseUrl}/metrics`, {
    headers: { authorization: `Bearer ${ADMIN_KEY}` },
  });
  return response.text();
}

/** A normal chat: connect, send, get the echo reply's final chunk. */
async function chat(server: ServerProcess, sockets: ChatSocket[], text: string): Promise<void> {
  const socket = await connectChat(server.wsUrl, server.defaultPipelineUuid, {
    query: 'session=after-fuzz',
  });
  sockets.push(socket);
  socket.sendText(text);
  const final = await socket.next('response', (frame) => frame.data.is_final);
  expect(final.data.status).toBe('complete');
  expect(final.data.content).toContain(text);
}

describe(`fuzz: ${FRAMES} frames against a real server`, () => {
  let server: ServerProcess;
  const sockets: ChatSocket[] = [];

  beforeAll(async () => {
    server = await startServerProcess({
      env: {
        BOTWIRE_MAX_FRAME_BYTES: String(MAX_FRAME_BYTES),
        BOTWIRE_MAX_FRAMES_PER_SECOND: String(FRAMES_PER_SECOND),
      },
    });
  });
  afterAll(async () => {
    await closeAll(sockets);
    await server[Symbol.asyncDispose]();
  });

  it(
    'survives, answers a normal chat afterwards, and ends within the RSS bound',
    async () => {
      await chat(server, sockets, 'warm-up before the fuzz');
      const key = await createApiKey(server, 'fuzzer', 'member', [server.defaultPipelineUuid]);
      const baseline = await scrape(server.url);
      const before = metric(baseline, 'botwire_process_process_resident_memory_bytes');

      const report = await runFuzz({
        connectUrl: `${server.wsUrl}/api/v1/pipelines/${server.defaultPipelineUuid}/ws/connect?session_type=group&session=fuzz`,
        token: key,
        frames: FRAMES,
        seed: SEED,
        connections: CONNECTIONS,
        framesPerSecond: FRAMES_PER_SECOND * 0.9,
        maxFrameBytes: MAX_FRAME_BYTES,
        // The server's bucket holds two seconds' worth: a burst of three is refused in part even
        // when a loaded machine spreads its arrival.
        burstFrames: 3 * FRAMES_PER_SECOND,
        timeLimitMs: TIME_LIMIT_MS,
      });

      await chat(server, sockets, 'a normal chat after the fuzz');
      const metrics = await scrape(server.url);
      const after = metric(metrics, 'botwire_process_process_resident_memory_bytes');
      // Printed so the full run's numbers can be reported.
      process.stdout.write(
        `${JSON.stringify(
          {
            seed: SEED,
            ...report,
            rssBefore: before,
            rssAfter: after,
            heapUsedBefore: metric(baseline, 'botwire_process_nodejs_heap_size_used_bytes'),
            heapUsedAfter: metric(metrics, 'botwire_process_nodejs_heap_size_used_bytes'),
            heapTotalAfter: metric(metrics, 'botwire_process_nodejs_heap_size_total_bytes'),
            externalAfter: metric(metrics, 'botwire_process_nodejs_external_memory_bytes'),
            replayBytesAfter: metric(metrics, 'botwire_replay_bytes'),
          },
          null,
          2,
        )}\n`,
      );
      expect(before).toBeGreaterThan(0);
      expect(report.sent).toBeGreaterThanOrEqual(FRAMES);
      // The first connection opened with a burst past the rate limit.
      expect(report.errors['RATE_LIMITED'] ?? 0).toBeGreaterThan(0);
      expect(server.child.exitCode).toBeNull();
      expect(report.errors['INTERNAL_ERROR'] ?? 0).toBe(0);
      expect(metric(metrics, 'botwire_errors_total{code="INTERNAL_ERROR"}')).toBe(0);
      expect(server.output()).not.toMatch(/frame handling failed|unhandled promise rejection/);
      expect(after - before).toBeLessThan(RSS_BOUND_BYTES);
    },
    TIME_LIMIT_MS + 30_000,
  );
});
