import type { RunnerConfig } from '@botwire/protocol';
import type { Config } from '../config/config.js';

/** Models used when the environment names a provider but no model. */
export const FALLBACK_MODELS = {
  'openai-compatible': 'gpt-4o-mini',
  anthropic: 'claude-3-5-haiku-latest',
} as const;

/**
 * The runner of the pipeline created at first start: a model runner when the environment
 * provides one (OpenAI-compatible first, then Anthropic), otherwise the echo runner.
 */
export function defaultRunnerFor(settings: Config['defaultModel']): RunnerConfig {
  if (settings.openaiApiKey !== undefined || settings.openaiBaseUrl !== undefined) {
    return {
      type: 'openai-compatible',
      settings: {
        base_url: settings.openaiBaseUrl ?? 'https://api.openai.com/v1',
        api_key: settings.openaiApiKey,
        model: settings.model ?? FALLBACK_MODELS['openai-compatible'],
        timeout_ms: 60_000,
        vision: false,
      },
    };
  }
  if (settings.anthropicApiKey !== undefined) {
    return {
      type: 'anthropic',
      settings: {
        base_url: 'https://api.anthropic.com/v1',
        api_key: settings.anthropicApiKey,
        model: settings.model ?? FALLBACK_MODELS.anthropic,
        timeout_ms: 60_000,
        vision: false,
      },
    };
  }
  return { type: 'echo', settings: { delay_ms: 30 } };
}
