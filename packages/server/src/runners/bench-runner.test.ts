import { describe, expect, it } from 'vitest';
import { messageFixture, pipelineFixture } from '../pipelines/pipeline-fixture.test-support.js';
import { BENCH_BURST_CHUNKS, benchChunk, createBenchRunner } from './bench-runner.js';
import type { RunnerInput } from './runner.js';

function input(signal: AbortSignal): RunnerInput {
  return {
    pipeline: pipelineFixture(),
    message: messageFixture({ id: 1, role: 'user', content: 'go' }),
    prompt: { system: '', messages: [] },
    signal,
  };
}

type Settings = { chunks: number; chunk_bytes: number; interval_ms: number };

/** Runs the bench runner, noting for each chunk how many event-loop turns came before it. */
async function run(settings: Settings, signal = new AbortController().signal) {
  let turns = 0;
  let counting = true;
  const count = (): void => {
    turns += 1;
    if (counting) setImmediate(count);
  };
  setImmediate(count);
  const chunks: { text: string; turn: number }[] = [];
  try {
    for await (const output of createBenchRunner({ type: 'bench', settings }).run(input(signal))) {
      chunks.push({ text: output.text, turn: turns });
    }
  } finally {
    counting = false;
  }
  return chunks;
}

describe('bench runner', () => {
  it('sends the numbered chunks in order, in bounded bursts when interval_ms is 0', async () => {
    const chunks = await run({ chunks: 100, chunk_bytes: 8, interval_ms: 0 });
    expect(chunks.map((chunk) => chunk.text)).toEqual(
      Array.from({ length: 100 }, (_, index) => benchChunk(index, 8)),
    );
    const perTurn = new Map<number, number>();
    for (const chunk of chunks) perTurn.set(chunk.turn, (perTurn.get(chunk.turn) ?? 0) + 1);
    // Several chunks per turn (so they share socket writes), never more than a burst.
    expect(Math.max(...perTurn.values())).toBe(BENCH_BURST_CHUNKS);
    expect(perTurn.size).toBe(Math.ceil(100 / BENCH_BURST_CHUNKS));
  });

  it('bounds a burst by bytes too', async () => {
    const chunks = await run({ chunks: 4, chunk_bytes: 65_536, interval_ms: 0 });
    expect(new Set(chunks.map((chunk) => chunk.turn)).size).toBe(4);
  });

  it('keeps to the interval on average, however late its timers fire', async () => {
    const startedAt = performance.now();
    const chunks = await run({ chunks: 6, chunk_bytes: 4, interval_ms: 20 });
    const elapsed = performance.now() - startedAt;
    expect(chunks).toHaveLength(6);
    expect(elapsed).toBeGreaterThanOrEqual(5 * 20 - 2);
    expect(elapsed).toBeLessThan(5 * 20 + 400);
  });

  it('stops waiting as soon as the reply is cancelled', async () => {
    const controller = new AbortController();
    const startedAt = performance.now();
    const running = run({ chunks: 5, chunk_bytes: 4, interval_ms: 10_000 }, controller.signal);
    setTimeout(() => controller.abort('cancelled'), 20);
    await expect(running).rejects.toMatchObject({ name: 'AbortError', cause: 'cancelled' });
    expect(performance.now() - startedAt).toBeLessThan(1_000);
  });
});
