import { createAnthropic } from '@ai-sdk/anthropic';
import type { RunnerConfig } from '@botwire/protocol';
import { BotwireError } from '../errors/botwire-error.js';
import type { Runner, RunnerInput, TextDelta } from './runner.js';
import { streamModelText } from './stream-model-text.js';

type AnthropicConfig = Extract<RunnerConfig, { type: 'anthropic' }>;

/**
 * Claude models through Anthropic's Messages API. A pipeline without a key fails each reply
 * with MODEL_NOT_CONFIGURED (rather than at creation) so it reaches the user like any other
 * model failure, and the SDK never falls back to an ANTHROPIC_API_KEY in the environment.
 */
export function createAnthropicRunner(config: AnthropicConfig): Runner {
  const settings = config.settings;
  const apiKey = settings.api_key ?? undefined;
  const model =
    apiKey === undefined
      ? undefined
      : createAnthropic({ baseURL: settings.base_url, apiKey })(settings.model);
  return {
    async *run(input: RunnerInput): AsyncIterable<TextDelta> {
      if (model === undefined) {
        throw new BotwireError(
          'MODEL_NOT_CONFIGURED',
          'Pipeline has no API key for Anthropic; set runner.settings.api_key.',
        );
      }
      yield* streamModelText(model, input, {
        provider: config.type,
        model: settings.model,
        baseUrl: settings.base_url,
        timeoutMs: settings.timeout_ms,
        apiKey,
      });
    },
  };
}
