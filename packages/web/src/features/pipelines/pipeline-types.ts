import type { BackendClient } from '@botwire/client';
import type { Pipeline } from '../../lib/backend.js';

// The console may not import @botwire/protocol (see ARCHITECTURE.md); these types come from the
// SDK's method signatures instead, so they always match what the SDK sends and returns.

/** The body of `POST /api/v1/pipelines`. */
export type CreatePipelineBody = Parameters<BackendClient['createPipeline']>[0];

/** The body of `PATCH /api/v1/pipelines/<uuid>`. */
export type UpdatePipelineBody = Parameters<BackendClient['updatePipeline']>[1];

/** The answer of `POST /api/v1/pipelines/<uuid>/check`. */
export type ModelCheckData = Awaited<ReturnType<BackendClient['checkPipeline']>>;

/** A runner type the console knows how to configure. */
export type RunnerType = Pipeline['runner']['type'];

/** The runner types in the order the console offers them. */
export const RUNNER_TYPES = [
  'echo',
  'bench',
  'openai-compatible',
  'anthropic',
] as const satisfies readonly RunnerType[];

/** Whether a runner type calls a model provider (and so has a base URL, a model and a key). */
export function isModelRunnerType(type: RunnerType): type is 'openai-compatible' | 'anthropic' {
  return type === 'openai-compatible' || type === 'anthropic';
}
