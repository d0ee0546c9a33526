import type { BenchOptions } from '../cli-options.js';
import { addDeliveryReports, isPerfectDelivery } from '../delivery-tracker.js';
import { withProgress } from '../progress-bar.js';
import { readTargetUsage } from '../process-usage.js';
import { ratio, summarize } from '../statistics.js';
import type { TargetName } from '../targets/target.js';
import {
  withTarget,
  type Scenario,
  type ScenarioContext,
  type TargetOutcome,
  openAllConnections,
  perNodeNote,
} from './scenario.js';

/** The shape of a streaming run: how many conversations, how long a reply, how paced. */
export type StreamingSettings = BenchOptions['streaming'];

/** What distinguishes the paced and the burst variant of the streaming scenario. */
interface StreamingVariant {
  name: 'streaming' | 'streaming-burst';
  title: string;
  /** How this variant's chunks are timed, for the report. */
  pacing: string;
  settings: (options: BenchOptions) => StreamingSettings;
}

/**
 * Streaming: C conversations at once, each asking for a reply of K chunks (delta form, which
 * is all the reference servers do). Measures delivered chunks per second, the server's CPU
 * time per delivered chunk (from /proc, so the server's own accounting), and time to the first
 * and the last chunk.
 */
function createStreamingScenario(variant: StreamingVariant): Scenario {
  return {
    name: variant.name,
    title: variant.title,
    description:
      `${variant.pacing} ` +
      'C concurrent conversations each request one reply of K chunks (`stream=delta`). ' +
      '"Chunks/s" is chunks delivered to clients per second of wall time from the first send to ' +
      'the last final frame; "server CPU per chunk" is the user+system CPU time of the server ' +
      'process over that period divided by the chunks delivered; time to first/last chunk is ' +
      'measured per conversation from sending the message.',
    metrics: () => [
      {
        key: 'chunksPerSecond',
        label: 'Chunks/s delivered',
        unit: '/s',
        better: 'higher',
        decimals: 0,
      },
      {
        key: 'cpuMicrosecondsPerChunk',
        label: 'Server CPU per chunk',
        unit: 'µs',
        better: 'lower',
        decimals: 2,
      },
      {
        key: 'firstChunkP50',
        label: 'Time to first chunk p50',
        unit: 'ms',
        better: 'lower',
        decimals: 1,
      },
      {
        key: 'firstChunkP99',
        label: 'Time to first chunk p99',
        unit: 'ms',
        better: 'lower',
        decimals: 1,
      },
      {
        key: 'lastChunkP50',
        label: 'Time to last chunk p50',
        unit: 'ms',
        better: 'lower',
        decimals: 1,
      },
      {
        key: 'lastChunkP99',
        label: 'Time to last chunk p99',
        unit: 'ms',
        better: 'lower',
        decimals: 1,
      },
      {
        key: 'serverCpuSeconds',
        label: 'Server CPU time',
        unit: 's',
        better: 'lower',
        decimals: 2,
      },
    ],
    run: (target, context) => runStreaming(target, context, variant.settings(context.options)),
  };
}

/** Chunks paced by a timer, one per connection per tick: the syscall floor is the same for all. */
export const streamingScenario = createStreamingScenario({
  name: 'streaming',
  title: 'Streaming',
  pacing: 'Chunks are paced `interval_ms` apart, so each connection gets one chunk per tick.',
  settings: (options) => options.streaming,
});

/**
 * Chunks produced faster than the network takes them (interval 0: bursts of up to 32 chunks per
 * event-loop turn), as when a model's server flushes several tokens at once or a slow reader
 * catches up. Here batching a connection's frames into one write per tick pays off.
 */
export const burstStreamingScenario = createStreamingScenario({
  name: 'streaming-burst',
  title: 'Streaming, bursts',
  pacing:
    'Chunks are produced without a pause (`interval_ms` 0): every target sends up to 32 ' +
    'chunks of a reply back to back before letting its event loop run.',
  settings: (options) => options.streamingBurst,
});

async function runStreaming(
  target: TargetName,
  context: ScenarioContext,
  settings: StreamingSettings,
): Promise<TargetOutcome> {
  const { pool, progress } = context;
  const { conversations, chunks, chunkBytes, intervalMs } = settings;
  return withTarget(
    target,
    { reply: { chunks, chunkBytes, intervalMs } },
    context,
    async (running) => {
      progress.step(`streaming / ${target}: opening ${conversations} connections`);
      await openAllConnections(context, running, {
        sessionPrefix: 'stream',
        count: conversations,
      });

      const expectedChunks = conversations * chunks;
      // Generous: the replies' own duration three times over, plus half a minute.
      const deadline = Date.now() + 3 * chunks * Math.max(intervalMs, 1) + 30_000;
      progress.step(`streaming / ${target}: ${conversations} replies of ${chunks} chunks`);
      const before = readTargetUsage(running.pids);
      await pool.sendMessages(chunks);
      await withProgress(pool.waitReplies(undefined, deadline), () =>
        progress.update(pool.progress().chunks, expectedChunks, 'chunks'),
      );
      const after = readTargetUsage(running.pids);
      const replies = await pool.collect();

      const delivery = addDeliveryReports(replies.map((reply) => reply.delivery));
      const delivered = delivery.received;
      const finals = replies.filter((reply) => reply.delivery.finalReceived).length;
      const started = Math.min(...replies.map((reply) => reply.sentAt));
      const finished = Math.max(...replies.map((reply) => reply.finalAt));
      const firstChunk = summarize(replies.map((reply) => reply.firstChunkAt - reply.sentAt));
      const lastChunk = summarize(replies.map((reply) => reply.finalAt - reply.sentAt));
      const cpuMicroseconds = after.cpuMicroseconds - before.cpuMicroseconds;
      return {
        target,
        metrics: {
          chunksPerSecond: ratio(delivered, (finished - started) / 1000),
          cpuMicrosecondsPerChunk: ratio(cpuMicroseconds, delivered),
          firstChunkP50: firstChunk.p50,
          firstChunkP99: firstChunk.p99,
          lastChunkP50: lastChunk.p50,
          lastChunkP99: lastChunk.p99,
          serverCpuSeconds: cpuMicroseconds / 1e6,
        },
        checks: [
          {
            // How many replies ended tells a slow run (replies unfinished at the deadline) from
            // a lossy one (replies final with chunks missing).
            description: `${expectedChunks} chunks delivered exactly once, in order, every reply final (${delivery.missing} missing, ${delivery.duplicates} duplicated, ${delivery.outOfOrder} out of order, ${delivery.seqViolations} seq errors; ${finals} of ${conversations} replies final)`,
            passed: isPerfectDelivery(delivery) && delivery.expected === expectedChunks,
            enforced: true,
          },
        ],
        notes: perNodeNote(
          'server CPU time per node',
          after.perProcess.map(
            (usage, index) =>
              `${((usage.cpuMicroseconds - (before.perProcess[index]?.cpuMicroseconds ?? 0)) / 1e6).toFixed(2)} s`,
          ),
        ),
      };
    },
  );
}
