import type { ChatMessage, Pipeline, RunnerConfig } from '@botwire/protocol';

/** What a runner is asked to answer. */
export interface RunnerInput {
  pipeline: Pipeline;
  /** The user message being answered (already stored). */
  message: ChatMessage;
  /** Aborted when the reply is cancelled or the server shuts down; runners must stop promptly. */
  signal: AbortSignal;
}

/** One piece of a runner's output. */
export interface TextDelta {
  type: 'text-delta';
  text: string;
}

/**
 * Produces a pipeline's reply as a stream of text deltas. Runners know nothing of transports,
 * storage or frames; the pipeline executor turns their output into reply chunks.
 */
export interface Runner {
  run(input: RunnerInput): AsyncIterable<TextDelta>;
}

/** Builds a runner for one pipeline's runner settings. */
export type RunnerFactory<TConfig extends RunnerConfig = RunnerConfig> = (
  config: TConfig,
) => Runner;
