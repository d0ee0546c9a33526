import type { RunnerConfig, RunnerType } from '@botwire/protocol';
import { createAnthropicRunner } from './anthropic-runner.js';
import { createBenchRunner } from './bench-runner.js';
import { createEchoRunner } from './echo-runner.js';
import { createOpenAiCompatibleRunner } from './openai-compatible-runner.js';
import type { Runner } from './runner.js';

/** Human-facing description of each runner type, for the API and the console. */
export const RUNNER_DESCRIPTIONS: Record<RunnerType, string> = {
  echo: 'Echoes the message back word by word. No model, no API key: the default.',
  bench: 'Streams fixed-size numbered chunks at a fixed interval, for load tests.',
  'openai-compatible':
    'Any OpenAI-compatible Chat Completions endpoint: OpenAI, DeepSeek, Ollama, vLLM, LM Studio, OpenRouter...',
  anthropic: "Anthropic's Messages API (Claude models).",
};

/** Creates the runner a pipeline's settings describe. */
export function createRunner(config: RunnerConfig): Runner {
  switch (config.type) {
    case 'echo':
      return createEchoRunner(config);
    case 'bench':
      return createBenchRunner(config);
    case 'openai-compatible':
      return createOpenAiCompatibleRunner(config);
    case 'anthropic':
      return createAnthropicRunner(config);
  }
}
