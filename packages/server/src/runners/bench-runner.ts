import type { RunnerConfig } from '@botwire/protocol';
import type { Runner, RunnerInput, TextDelta } from './runner.js';
import { StreamPacer } from './stream-pacer.js';

type BenchConfig = Extract<RunnerConfig, { type: 'bench' }>;

/**
 * Chunks that may follow each other without a pause before the runner lets the event loop run
 * (when `interval_ms` is 0, or when catching up after falling behind). Chunks that leave in the
 * same tick reach each connection in one socket write; the bound keeps sockets and timers from
 * waiting long behind one stream.
 */
export const BENCH_BURST_CHUNKS = 32;
/** The bytes a burst may carry, at least one chunk. */
export const BENCH_BURST_BYTES = 65_536;

/** Chunk `index` of a bench reply: its number, then padding to `bytes` ASCII characters. */
export function benchChunk(index: number, bytes: number): string {
  const label = `${index}:`;
  return label.length >= bytes ? label.slice(0, bytes) : label.padEnd(bytes, '.');
}

/**
 * Load-test runner: `chunks` chunks of `chunk_bytes` bytes, one every `interval_ms`. Each chunk
 * starts with its index so a load generator can check order and completeness.
 *
 * Chunk i is due `i × interval_ms` after the first, so timer lateness does not slow the stream
 * down: chunks that fell due while the runner waited follow at once. With `interval_ms` 0,
 * chunks go out in bursts of {@link BENCH_BURST_CHUNKS}, with the event loop run in between.
 */
export function createBenchRunner(config: BenchConfig): Runner {
  const { chunks, chunk_bytes: chunkBytes, interval_ms: intervalMilliseconds } = config.settings;
  return {
    exactChunks: true,
    async *run(input: RunnerInput): AsyncIterable<TextDelta> {
      const pacer = new StreamPacer(input.signal);
      try {
        const startedAt = performance.now();
        let burstChunks = 0;
        let burstBytes = 0;
        for (let index = 0; index < chunks; index += 1) {
          if (index > 0) {
            const wait = startedAt + index * intervalMilliseconds - performance.now();
            const burstFull = burstChunks >= BENCH_BURST_CHUNKS || burstBytes >= BENCH_BURST_BYTES;
            if (wait > 0 || burstFull) {
              await (wait > 0 ? pacer.sleep(wait) : pacer.yieldToEventLoop());
              burstChunks = 0;
              burstBytes = 0;
            }
          }
          yield { type: 'text-delta', text: benchChunk(index, chunkBytes) };
          burstChunks += 1;
          burstBytes += chunkBytes;
        }
      } finally {
        pacer.dispose();
      }
    },
  };
}
