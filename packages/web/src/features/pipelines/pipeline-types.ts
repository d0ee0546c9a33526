import type { BackendClient } from '@botwire/client';

// The console may not import @botwire/protocol (see ARCHITECTURE.md); these types come from the
// SDK's method signatures instead, so they always match what the SDK sends and returns.

/** The body of `POST /api/v1/pipelines`. */
export type CreatePipelineBody = Parameters<BackendClient['createPipeline']>[0];

/** The body of `PATCH /api/v1/pipelines/<uuid>`. */
export type UpdatePipelineBody = Parameters<BackendClient['updatePipeline']>[1];

/** The answer of `POST /api/v1/pipelines/<uuid>/check`. */
export type ModelCheckData = Awaited<ReturnType<BackendClient['checkPipeline']>>;

/** The runner types and which of them call a model: the protocol's, through the SDK. */
export { isModelRunnerType, RUNNER_TYPES, type RunnerType } from '@botwire/client';
