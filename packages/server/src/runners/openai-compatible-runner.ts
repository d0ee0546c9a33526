import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import type { RunnerConfig } from '@botwire/protocol';
import type { Runner, RunnerInput, TextDelta } from './runner.js';
import { streamModelText } from './stream-model-text.js';

type OpenAiCompatibleConfig = Extract<RunnerConfig, { type: 'openai-compatible' }>;

/**
 * One runner for every Chat Completions server (OpenAI, DeepSeek, Ollama, vLLM, LM Studio,
 * OpenRouter...). Without an api_key no Authorization header is sent, as local servers expect.
 */
export function createOpenAiCompatibleRunner(config: OpenAiCompatibleConfig): Runner {
  const settings = config.settings;
  const provider = createOpenAICompatible({
    name: 'openai-compatible',
    baseURL: settings.base_url,
    apiKey: settings.api_key ?? undefined,
    includeUsage: false,
    // Image URLs go to the model as they are: without this the AI SDK would download them on
    // the server, which must never fetch addresses a user chose.
    supportedUrls: () => ({ 'image/*': [/^https?:\/\/.*$/i] }),
  });
  const model = provider.chatModel(settings.model);
  return {
    run(input: RunnerInput): AsyncIterable<TextDelta> {
      return streamModelText(model, input, {
        provider: config.type,
        model: settings.model,
        baseUrl: settings.base_url,
        timeoutMs: settings.timeout_ms,
        apiKey: settings.api_key,
      });
    },
  };
}
