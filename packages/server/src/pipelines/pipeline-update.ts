import type { PipelineBehaviour, RunnerConfig, updatePipelineBodySchema } from '@botwire/protocol';
import type { z } from 'zod';
import type { PipelineChanges, StoredPipeline } from '../storage/store.js';

type ParsedUpdate = z.infer<typeof updatePipelineBodySchema>;

/**
 * Keeps the stored API key when an update names the same model runner without one, so editing
 * a prompt or a model never requires re-entering the key; `api_key: null` removes it.
 */
function mergeRunner(stored: RunnerConfig, next: RunnerConfig): RunnerConfig {
  if (next.type !== 'openai-compatible' && next.type !== 'anthropic') return next;
  if (next.settings.api_key !== undefined || stored.type !== next.type) return next;
  return { ...next, settings: { ...next.settings, api_key: stored.settings.api_key } };
}

/** What a partial update changes: sections it names are merged into the stored ones. */
export function mergePipelineUpdate(stored: StoredPipeline, update: ParsedUpdate): PipelineChanges {
  const behaviour: PipelineBehaviour = {
    system_prompt: update.system_prompt ?? stored.system_prompt,
    model_parameters: update.model_parameters ?? stored.model_parameters,
    memory: { ...stored.memory, ...update.memory },
    group_triggers: { ...stored.group_triggers, ...update.group_triggers },
    output: { ...stored.output, ...update.output },
  };
  return {
    ...(update.name === undefined ? {} : { name: update.name }),
    ...(update.description === undefined ? {} : { description: update.description }),
    ...(update.runner === undefined ? {} : { runner: mergeRunner(stored.runner, update.runner) }),
    behaviour,
  };
}
