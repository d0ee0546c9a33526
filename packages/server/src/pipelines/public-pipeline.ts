import type { Pipeline, PublicRunnerConfig, RunnerConfig } from '@botwire/protocol';
import type { StoredPipeline } from '../storage/store.js';

/** A runner as the API shows it: API keys replaced by whether one is set. */
export function toPublicRunner(runner: RunnerConfig): PublicRunnerConfig {
  switch (runner.type) {
    case 'echo':
    case 'bench':
      return runner;
    case 'openai-compatible':
    case 'anthropic': {
      const { api_key: apiKey, ...settings } = runner.settings;
      return {
        type: runner.type,
        settings: { ...settings, api_key_set: typeof apiKey === 'string' },
      };
    }
  }
}

/** A pipeline as the API returns it, without secrets. */
export function toPublicPipeline(pipeline: StoredPipeline): Pipeline {
  return { ...pipeline, runner: toPublicRunner(pipeline.runner) };
}
