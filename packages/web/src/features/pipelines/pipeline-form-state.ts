import type { Pipeline } from '../../lib/backend.js';
import {
  isModelRunnerType,
  type CreatePipelineBody,
  type RunnerType,
  type UpdatePipelineBody,
} from './pipeline-types.js';

/**
 * The pipeline editor's state and its conversions: a pipeline from the API becomes form values,
 * form values become a create or update body. Numbers are kept as the text the user typed, so
 * validation (pipeline-form-validation.ts) can say what is wrong with "1.5" or "" instead of the
 * form silently turning them into something else. Conversions assume validated values.
 */

/** The settings of a runner that calls a model (`openai-compatible` or `anthropic`). */
export interface ModelRunnerFormValues {
  /** Empty: the server's default for the runner type. */
  baseUrl: string;
  model: string;
  timeoutMs: string;
  /** A new key to store; empty keeps the stored one (or sends none). Never filled from the API. */
  apiKey: string;
  /** Remove the stored key (`api_key: null`); only offered while a key is stored. */
  removeStoredApiKey: boolean;
  /** The model accepts images (`vision`). */
  vision: boolean;
}

/**
 * Everything the editor shows. Each runner type keeps its own settings, so switching the type
 * back and forth in the form does not lose what was typed.
 */
export interface PipelineFormValues {
  name: string;
  description: string;
  runnerType: RunnerType;
  echo: { delayMs: string };
  bench: { chunks: string; chunkBytes: string; intervalMs: string };
  openAiCompatible: ModelRunnerFormValues;
  anthropic: ModelRunnerFormValues;
  systemPrompt: string;
  /** Empty: the provider's default. */
  temperature: string;
  /** Empty: the provider's default. */
  maxOutputTokens: string;
  memoryTurns: string;
  mention: boolean;
  /** One prefix per line. */
  prefixes: string;
  probability: string;
  streaming: boolean;
  mentionSenderInGroup: boolean;
  coalesceMs: string;
  /** Accept images by URL (`images.allow_urls`). */
  allowImageUrls: boolean;
}

/**
 * What the server stores about a pipeline's API key, needed to explain what leaving the key
 * field empty does: the stored key is kept only for the same runner type and base URL.
 */
export interface StoredApiKey {
  runnerType: RunnerType;
  baseUrl: string;
  apiKeySet: boolean;
}

/** The base URL each model runner uses when none is given (docs/pipelines.md, Runners). */
export const DEFAULT_BASE_URLS = {
  'openai-compatible': 'https://api.openai.com/v1',
  anthropic: 'https://api.anthropic.com/v1',
} as const;

function defaultModelRunnerValues(baseUrl: string): ModelRunnerFormValues {
  return {
    baseUrl,
    model: '',
    timeoutMs: '60000',
    apiKey: '',
    removeStoredApiKey: false,
    vision: false,
  };
}

/** The values of a new pipeline: the server's defaults, with the echo runner. */
export function defaultFormValues(): PipelineFormValues {
  return {
    name: '',
    description: '',
    runnerType: 'echo',
    echo: { delayMs: '30' },
    bench: { chunks: '10', chunkBytes: '64', intervalMs: '10' },
    openAiCompatible: defaultModelRunnerValues(DEFAULT_BASE_URLS['openai-compatible']),
    anthropic: defaultModelRunnerValues(DEFAULT_BASE_URLS.anthropic),
    systemPrompt: '',
    temperature: '',
    maxOutputTokens: '',
    memoryTurns: '10',
    mention: true,
    prefixes: '',
    probability: '0',
    streaming: true,
    mentionSenderInGroup: false,
    coalesceMs: '50',
    allowImageUrls: false,
  };
}

/** The form values showing a stored pipeline. The API key field starts empty (keys are write-only). */
export function formValuesFromPipeline(pipeline: Pipeline): PipelineFormValues {
  const values = defaultFormValues();
  const runner = pipeline.runner;
  switch (runner.type) {
    case 'echo':
      values.echo = { delayMs: String(runner.settings.delay_ms) };
      break;
    case 'bench':
      values.bench = {
        chunks: String(runner.settings.chunks),
        chunkBytes: String(runner.settings.chunk_bytes),
        intervalMs: String(runner.settings.interval_ms),
      };
      break;
    case 'openai-compatible':
    case 'anthropic': {
      const settings: ModelRunnerFormValues = {
        baseUrl: runner.settings.base_url,
        model: runner.settings.model,
        timeoutMs: String(runner.settings.timeout_ms),
        apiKey: '',
        removeStoredApiKey: false,
        vision: runner.settings.vision,
      };
      if (runner.type === 'anthropic') values.anthropic = settings;
      else values.openAiCompatible = settings;
      break;
    }
  }
  const parameters = pipeline.model_parameters;
  return {
    ...values,
    name: pipeline.name,
    description: pipeline.description,
    runnerType: runner.type,
    systemPrompt: pipeline.system_prompt,
    temperature: parameters.temperature === undefined ? '' : String(parameters.temperature),
    maxOutputTokens:
      parameters.max_output_tokens === undefined ? '' : String(parameters.max_output_tokens),
    memoryTurns: String(pipeline.memory.turns),
    mention: pipeline.group_triggers.mention,
    prefixes: pipeline.group_triggers.prefixes.join('\n'),
    probability: String(pipeline.group_triggers.probability),
    streaming: pipeline.output.streaming,
    mentionSenderInGroup: pipeline.output.mention_sender_in_group,
    coalesceMs: String(pipeline.output.coalesce_ms),
    allowImageUrls: pipeline.images.allow_urls,
  };
}

/** What the server knows about the pipeline's stored key. */
export function storedApiKeyOf(pipeline: Pipeline): StoredApiKey {
  const runner = pipeline.runner;
  return isModelRunnerType(runner.type) && 'api_key_set' in runner.settings
    ? {
        runnerType: runner.type,
        baseUrl: runner.settings.base_url,
        apiKeySet: runner.settings.api_key_set,
      }
    : { runnerType: runner.type, baseUrl: '', apiKeySet: false };
}

/** The settings of the chosen model runner in the form. */
export function modelRunnerValues(
  values: PipelineFormValues,
  type: 'openai-compatible' | 'anthropic',
): ModelRunnerFormValues {
  return type === 'anthropic' ? values.anthropic : values.openAiCompatible;
}

/**
 * What happens to the stored key when the form is saved with an empty key field: `kept` when
 * the runner type and base URL are the stored ones, `dropped` when a key is stored but the type
 * or address changed (the server never sends a key to another address), `none` otherwise.
 */
export function storedKeyFate(
  values: PipelineFormValues,
  stored: StoredApiKey | undefined,
): 'kept' | 'dropped' | 'none' {
  if (stored === undefined || !stored.apiKeySet) return 'none';
  if (!isModelRunnerType(values.runnerType)) return 'dropped';
  const settings = modelRunnerValues(values, values.runnerType);
  const sameAddress =
    effectiveBaseUrl(settings.baseUrl, values.runnerType) === stored.baseUrl &&
    values.runnerType === stored.runnerType;
  return sameAddress ? 'kept' : 'dropped';
}

function effectiveBaseUrl(baseUrl: string, type: 'openai-compatible' | 'anthropic'): string {
  const trimmed = baseUrl.trim();
  return trimmed === '' ? DEFAULT_BASE_URLS[type] : trimmed;
}

/** Prefixes typed one per line; blank lines and surrounding spaces are ignored. */
export function parsePrefixes(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

type RunnerBody = NonNullable<CreatePipelineBody['runner']>;

function runnerBody(values: PipelineFormValues, mode: 'create' | 'update'): RunnerBody {
  const type = values.runnerType;
  switch (type) {
    case 'echo':
      return { type, settings: { delay_ms: Number(values.echo.delayMs) } };
    case 'bench':
      return {
        type,
        settings: {
          chunks: Number(values.bench.chunks),
          chunk_bytes: Number(values.bench.chunkBytes),
          interval_ms: Number(values.bench.intervalMs),
        },
      };
    case 'openai-compatible':
    case 'anthropic': {
      const settings = modelRunnerValues(values, type);
      const apiKey = settings.apiKey.trim();
      // The runner is replaced as a whole on update, so every setting is sent; only the key is
      // left out to keep the stored one (the server keeps it for the same type and base URL).
      return {
        type,
        settings: {
          base_url: effectiveBaseUrl(settings.baseUrl, type),
          model: settings.model.trim(),
          timeout_ms: Number(settings.timeoutMs),
          vision: settings.vision,
          ...(apiKey !== ''
            ? { api_key: apiKey }
            : mode === 'update' && settings.removeStoredApiKey
              ? { api_key: null }
              : {}),
        },
      };
    }
  }
}

/** An optional number field: absent when empty, so the provider's default applies. */
function optionalNumber(text: string): number | undefined {
  return text.trim() === '' ? undefined : Number(text);
}

function behaviourBody(values: PipelineFormValues) {
  const temperature = optionalNumber(values.temperature);
  const maxOutputTokens = optionalNumber(values.maxOutputTokens);
  return {
    system_prompt: values.systemPrompt,
    // Replaced as a whole by the server: an emptied field removes the stored value.
    model_parameters: {
      ...(temperature === undefined ? {} : { temperature }),
      ...(maxOutputTokens === undefined ? {} : { max_output_tokens: maxOutputTokens }),
    },
    memory: { turns: Number(values.memoryTurns) },
    group_triggers: {
      mention: values.mention,
      prefixes: parsePrefixes(values.prefixes),
      probability: Number(values.probability),
    },
    output: {
      streaming: values.streaming,
      mention_sender_in_group: values.mentionSenderInGroup,
      coalesce_ms: Number(values.coalesceMs),
    },
    images: { allow_urls: values.allowImageUrls },
  };
}

/** The body creating a pipeline with these values. */
export function createBodyFromForm(values: PipelineFormValues): CreatePipelineBody {
  return {
    name: values.name.trim(),
    description: values.description,
    runner: runnerBody(values, 'create'),
    ...behaviourBody(values),
  };
}

/**
 * The body saving these values over a stored pipeline. Every section is sent, so the pipeline
 * ends up exactly as the form shows it, whatever the server's per-section merge rules are.
 */
export function updateBodyFromForm(values: PipelineFormValues): UpdatePipelineBody {
  return {
    name: values.name.trim(),
    description: values.description,
    runner: runnerBody(values, 'update'),
    ...behaviourBody(values),
  };
}
