import type { RunnerConfig } from '@botwire/protocol';
import { abortableDelay } from './abortable-delay.js';
import type { Runner, RunnerInput, TextDelta } from './runner.js';

type BenchConfig = Extract<RunnerConfig, { type: 'bench' }>;

/** Chunk `index` of a bench reply: its number, then padding to `bytes` ASCII characters. */
export function benchChunk(index: number, bytes: number): string {
  const label = `${index}:`;
  return label.length >= bytes ? label.slice(0, bytes) : label.padEnd(bytes, '.');
}

/**
 * Load-test runner: `chunks` chunks of `chunk_bytes` bytes, one every `interval_ms`. Each chunk
 * starts with its index so a load generator can check order and completeness.
 */
export function createBenchRunner(config: BenchConfig): Runner {
  const { chunks, chunk_bytes: chunkBytes, interval_ms: intervalMilliseconds } = config.settings;
  return {
    exactChunks: true,
    async *run(input: RunnerInput): AsyncIterable<TextDelta> {
      for (let index = 0; index < chunks; index += 1) {
        if (index > 0) await abortableDelay(intervalMilliseconds, input.signal);
        yield { type: 'text-delta', text: benchChunk(index, chunkBytes) };
      }
    },
  };
}
