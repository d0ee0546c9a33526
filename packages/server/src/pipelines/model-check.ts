import {
  isModelRunner,
  type ChatMessage,
  type ModelCheckData,
  type RunnerConfig,
} from '@botwire/protocol';
import { BotwireError } from '../errors/botwire-error.js';
import { createRunner } from '../runners/runner-registry.js';
import type { StoredPipeline } from '../storage/store.js';

/** The longest a check may take, whatever the pipeline's own timeout. */
const CHECK_TIMEOUT_MS = 20_000;
const PROBE = 'Reply with the single word: ok';

function withCheckTimeout(runner: RunnerConfig): RunnerConfig {
  if (!isModelRunner(runner)) return runner;
  return {
    ...runner,
    settings: {
      ...runner.settings,
      timeout_ms: Math.min(runner.settings.timeout_ms, CHECK_TIMEOUT_MS),
    },
  };
}

/**
 * Sends a tiny request with the pipeline's runner settings and reports whether the model
 * answered, or the cause when it did not (bad key, unknown model, unreachable, ...). Nothing is
 * stored and no conversation is touched.
 */
export async function checkModel(
  pipeline: StoredPipeline,
  now: () => number = Date.now,
): Promise<ModelCheckData> {
  const runnerConfig = withCheckTimeout(pipeline.runner);
  const model = isModelRunner(runnerConfig) ? runnerConfig.settings.model : null;
  const probe: ChatMessage = {
    id: 0,
    role: 'user',
    content: PROBE,
    message_chain: [{ type: 'Plain', text: PROBE }],
    timestamp: new Date(now()).toISOString(),
    is_final: true,
    status: 'complete',
    reply_to: null,
  };
  const started = now();
  let reply = '';
  try {
    const runner = createRunner(runnerConfig);
    const checked: StoredPipeline = {
      ...pipeline,
      runner: runnerConfig,
      model_parameters: { ...pipeline.model_parameters, max_output_tokens: 16 },
    };
    for await (const output of runner.run({
      pipeline: checked,
      message: probe,
      prompt: { system: '', messages: [{ role: 'user', text: PROBE }] },
      signal: AbortSignal.timeout(CHECK_TIMEOUT_MS + 1_000),
    })) {
      reply += output.text;
    }
    return {
      ok: true,
      runner: runnerConfig.type,
      model,
      latency_ms: now() - started,
      reply,
      error: null,
    };
  } catch (error) {
    const failure =
      error instanceof BotwireError
        ? { code: error.code, message: error.message }
        : {
            code: 'RUNNER_FAILED' as const,
            message: error instanceof Error ? error.message : String(error),
          };
    return {
      ok: false,
      runner: runnerConfig.type,
      model,
      latency_ms: now() - started,
      reply: reply === '' ? null : reply,
      error: {
        code: failure.code === 'INTERNAL_ERROR' ? 'RUNNER_FAILED' : failure.code,
        message: failure.message,
      },
    };
  }
}
