import {
  isModelRunner,
  type PipelineBehaviour,
  type RunnerConfig,
  type updatePipelineBodySchema,
} from '@botwire/protocol';
import type { z } from 'zod';
import type { PipelineChanges, StoredPipeline } from '../storage/store.js';

type ParsedUpdate = z.infer<typeof updatePipelineBodySchema>;

/**
 * Keeps the stored API key when an update names the same model runner at the same base URL
 * without one, so changing the model never requires re-entering the key; `api_key: null`
 * removes it.
 */
function mergeRunner(stored: RunnerConfig, next: RunnerConfig): RunnerConfig {
  if (!isModelRunner(next) || !isModelRunner(stored)) return next;
  if (next.settings.api_key !== undefined || stored.type !== next.type) return next;
  // A key follows only to the same endpoint: never send one provider's key to another host.
  if (stored.settings.base_url !== next.settings.base_url) return next;
  return { ...next, settings: { ...next.settings, api_key: stored.settings.api_key } };
}

/** What a partial update changes: sections it names are merged into the stored ones. */
export function mergePipelineUpdate(stored: StoredPipeline, update: ParsedUpdate): PipelineChanges {
  const behaviour: PipelineBehaviour = {
    system_prompt: update.system_prompt ?? stored.system_prompt,
    model_parameters: update.model_parameters ?? stored.model_parameters,
    memory: { turns: update.memory?.turns ?? stored.memory.turns },
    group_triggers: {
      mention: update.group_triggers?.mention ?? stored.group_triggers.mention,
      prefixes: update.group_triggers?.prefixes ?? stored.group_triggers.prefixes,
      probability: update.group_triggers?.probability ?? stored.group_triggers.probability,
    },
    output: {
      streaming: update.output?.streaming ?? stored.output.streaming,
      mention_sender_in_group:
        update.output?.mention_sender_in_group ?? stored.output.mention_sender_in_group,
      coalesce_ms: update.output?.coalesce_ms ?? stored.output.coalesce_ms,
    },
    images: { allow_urls: update.images?.allow_urls ?? stored.images.allow_urls },
  };
  return {
    ...(update.name === undefined ? {} : { name: update.name }),
    ...(update.description === undefined ? {} : { description: update.description }),
    ...(update.runner === undefined ? {} : { runner: mergeRunner(stored.runner, update.runner) }),
    behaviour,
  };
}
