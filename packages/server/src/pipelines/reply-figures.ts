import type { ReplyFigures } from '@botwire/protocol';
import type { RunnerUsage } from '../runners/runner.js';

/** What {@link ReplyFiguresRecorder} needs. */
export interface ReplyFiguresRecorderOptions {
  /** When the user message was stored (ms since epoch): the reply's clock starts there. */
  startedAt: number;
  now: () => number;
}

/**
 * Measures one reply as it is produced: when its first chunk left, how many chunks, and what
 * the provider reported at the end (tokens, finish reason). Kept apart from the executor so the
 * executor only calls it at three points.
 */
export class ReplyFiguresRecorder {
  private firstChunkAt: number | undefined;
  private chunks = 0;
  private usage: RunnerUsage | undefined;

  constructor(private readonly options: ReplyFiguresRecorderOptions) {}

  /** A chunk of text left the server (after coalescing). */
  recordChunk(text: string): void {
    if (text.length === 0) return;
    this.chunks += 1;
    this.firstChunkAt ??= this.options.now();
  }

  /** The runner reported the provider's usage (model runners only). */
  recordUsage(usage: RunnerUsage): void {
    this.usage = usage;
  }

  /** The figures of the reply, finished with `content`. */
  finish(content: string): ReplyFigures {
    const { startedAt, now } = this.options;
    const elapsed = (at: number): number => Math.max(0, Math.round(at - startedAt));
    return {
      first_chunk_ms: this.firstChunkAt === undefined ? null : elapsed(this.firstChunkAt),
      duration_ms: elapsed(now()),
      chunks: this.chunks,
      characters: codePoints(content),
      input_tokens: countOrNull(this.usage?.inputTokens),
      output_tokens: countOrNull(this.usage?.outputTokens),
      finish_reason: this.usage?.finishReason ?? null,
    };
  }
}

/**
 * The Unicode code points of `text`, as `Array.from(text).length` counts them (a lone surrogate
 * is one), without building an array of every character of the reply.
 */
export function codePoints(text: string): number {
  let pairs = 0;
  for (let index = 0; index < text.length - 1; index += 1) {
    const unit = text.charCodeAt(index);
    if (unit < 0xd800 || unit > 0xdbff) continue;
    const next = text.charCodeAt(index + 1);
    if (next >= 0xdc00 && next <= 0xdfff) {
      pairs += 1;
      index += 1;
    }
  }
  return text.length - pairs;
}

function countOrNull(value: number | undefined): number | null {
  return value === undefined || !Number.isFinite(value) || value < 0 ? null : Math.round(value);
}
