import { z } from 'zod';
import { errorCodeSchema } from './error-codes.js';

/**
 * Pipeline configuration: which runner answers, with which prompt, parameters, memory, group
 * trigger rules and output options. API keys are write-only: requests may carry `api_key`,
 * responses only say `api_key_set`.
 */

// ---- Runners ------------------------------------------------------------------------------

/** The `echo` runner: replies with the user's text, word by word. No model, no key. */
export const echoRunnerSchema = z.object({
  type: z.literal('echo'),
  settings: z
    .object({
      /** Pause between streamed words, in milliseconds. */
      delay_ms: z.number().int().min(0).max(10_000).default(30),
    })
    .default({ delay_ms: 30 }),
});

/** The `bench` runner: `chunks` chunks of `chunk_bytes` bytes every `interval_ms`, for load tests. */
export const benchRunnerSchema = z.object({
  type: z.literal('bench'),
  settings: z
    .object({
      chunks: z.number().int().min(1).max(100_000).default(10),
      chunk_bytes: z.number().int().min(1).max(65_536).default(64),
      interval_ms: z.number().int().min(0).max(60_000).default(10),
    })
    .default({ chunks: 10, chunk_bytes: 64, interval_ms: 10 }),
});

/** An API key as sent by a client; `null` on update removes the stored key. */
const apiKeyInput = z.string().trim().min(1).max(1_000).nullable().optional();
const timeoutMs = z.number().int().min(1_000).max(600_000).default(60_000);
/** http(s) only: a key must never be sent to a scheme we did not mean, and "host:port" is not a URL. */
const baseUrl = (fallback: string) =>
  z
    .string()
    .url()
    .regex(/^https?:\/\//i, 'base_url must start with http:// or https://')
    .default(fallback);
const modelName = z.string().trim().min(1).max(200);
/**
 * Whether the model accepts images. When true, `Image` components reach the model as image
 * parts; when false, a message with an image is refused with `IMAGES_NOT_SUPPORTED` rather than
 * sent without it.
 */
const vision = z.boolean().default(false);

/** Any OpenAI-compatible Chat Completions endpoint (OpenAI, DeepSeek, Ollama, vLLM, LM Studio, OpenRouter...). */
export const openAiCompatibleRunnerSchema = z.object({
  type: z.literal('openai-compatible'),
  settings: z.object({
    /** Base URL up to the version, e.g. https://api.openai.com/v1 or http://localhost:11434/v1. */
    base_url: baseUrl('https://api.openai.com/v1'),
    api_key: apiKeyInput,
    model: modelName,
    /** Longest wait for the model, for the whole reply. */
    timeout_ms: timeoutMs,
    vision,
  }),
});

/** Anthropic's Messages API. */
export const anthropicRunnerSchema = z.object({
  type: z.literal('anthropic'),
  settings: z.object({
    base_url: baseUrl('https://api.anthropic.com/v1'),
    api_key: apiKeyInput,
    model: modelName,
    timeout_ms: timeoutMs,
    vision,
  }),
});

/** A runner as clients send it (and as the server stores it, with the key). */
export const runnerConfigSchema = z.discriminatedUnion('type', [
  echoRunnerSchema,
  benchRunnerSchema,
  openAiCompatibleRunnerSchema,
  anthropicRunnerSchema,
]);
export type RunnerConfig = z.infer<typeof runnerConfigSchema>;
export type RunnerType = RunnerConfig['type'];
export type ModelRunnerConfig = Extract<RunnerConfig, { type: 'openai-compatible' | 'anthropic' }>;
/** Whether a runner type calls a model provider (and so has a base URL, a model and maybe a key). */
export function isModelRunnerType(type: RunnerType): type is ModelRunnerConfig['type'] {
  return type === 'openai-compatible' || type === 'anthropic';
}
/** Whether a runner calls a model provider (and so has a base URL, a model and maybe a key). */
export function isModelRunner(runner: RunnerConfig): runner is ModelRunnerConfig {
  return isModelRunnerType(runner.type);
}

export const RUNNER_TYPES = [
  'echo',
  'bench',
  'openai-compatible',
  'anthropic',
] as const satisfies readonly RunnerType[];

const publicModelSettings = z.object({
  base_url: z.string(),
  model: z.string(),
  timeout_ms: z.number().int(),
  vision: z.boolean(),
  /** Whether an API key is stored; the key itself is never returned. */
  api_key_set: z.boolean(),
});

/** A runner as the server returns it: no secrets. */
export const publicRunnerConfigSchema = z.discriminatedUnion('type', [
  echoRunnerSchema,
  benchRunnerSchema,
  z.object({ type: z.literal('openai-compatible'), settings: publicModelSettings }),
  z.object({ type: z.literal('anthropic'), settings: publicModelSettings }),
]);
export type PublicRunnerConfig = z.infer<typeof publicRunnerConfigSchema>;

// ---- Behaviour ----------------------------------------------------------------------------

export const modelParametersSchema = z.object({
  /** Sampling temperature; the provider's default when absent. */
  temperature: z.number().min(0).max(2).optional(),
  /** Most tokens in one reply; the provider's default when absent. */
  max_output_tokens: z.number().int().min(1).max(1_000_000).optional(),
});

export const memorySchema = z.object({
  /** Past turns (a user message and its reply) sent to the model with each message. */
  turns: z.number().int().min(0).max(200).default(10),
});

/**
 * When a `group` conversation gets a reply. The bot is mentioned by an `At` component whose
 * target is the pipeline's uuid (or `websocket-proxy-bot`). Person conversations always reply.
 */
export const groupTriggersSchema = z.object({
  /** Reply when the bot is mentioned. */
  mention: z.boolean().default(true),
  /** Reply when the text starts with one of these (e.g. "/ask", "bot,"). */
  prefixes: z.array(z.string().min(1).max(32)).max(20).default([]),
  /** Reply to any other message with this probability (0 never, 1 always). */
  probability: z.number().min(0).max(1).default(0),
});

export const outputOptionsSchema = z.object({
  /** Stream chunks; when false, one final `response` carries the whole reply. */
  streaming: z.boolean().default(true),
  /** In group replies, start with an `At` mention of the sender. */
  mention_sender_in_group: z.boolean().default(false),
  /** Deltas from the model arriving within this window are sent as one chunk. */
  coalesce_ms: z.number().int().min(0).max(2_000).default(50),
});

/** What `Image` components a pipeline accepts besides uploaded images. */
export const imageSettingsSchema = z.object({
  /**
   * Accept `Image` components by http(s) URL. The server never fetches such a URL: it passes it
   * to the model as it is (the provider fetches it). Off by default.
   */
  allow_urls: z.boolean().default(false),
});

export type ImageSettings = z.infer<typeof imageSettingsSchema>;
export type ModelParameters = z.infer<typeof modelParametersSchema>;
export type MemorySettings = z.infer<typeof memorySchema>;
export type GroupTriggers = z.infer<typeof groupTriggersSchema>;
export type OutputOptions = z.infer<typeof outputOptionsSchema>;

/** Behaviour settings with every default applied. */
export const pipelineBehaviourSchema = z.object({
  system_prompt: z.string().max(50_000).default(''),
  model_parameters: modelParametersSchema.default({}),
  memory: memorySchema.prefault({}),
  group_triggers: groupTriggersSchema.prefault({}),
  output: outputOptionsSchema.prefault({}),
  images: imageSettingsSchema.prefault({}),
});
export type PipelineBehaviour = z.infer<typeof pipelineBehaviourSchema>;

// ---- Pipelines ----------------------------------------------------------------------------

/** A pipeline as the API returns it. */
export const pipelineSchema = pipelineBehaviourSchema.extend({
  uuid: z.string(),
  name: z.string(),
  description: z.string(),
  runner: publicRunnerConfigSchema,
  is_default: z.boolean(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type Pipeline = z.infer<typeof pipelineSchema>;

export const createPipelineBodySchema = z.strictObject({
  ...pipelineBehaviourSchema.shape,
  name: z.string().trim().min(1).max(100),
  description: z.string().max(2_000).default(''),
  runner: runnerConfigSchema.default({ type: 'echo', settings: { delay_ms: 30 } }),
});
export type CreatePipelineBody = z.input<typeof createPipelineBodySchema>;

/**
 * A partial update. Nested sections change only the fields they name (no defaults are filled
 * in here); `runner` replaces the runner, and a model runner sent without `api_key` keeps the
 * stored key when the runner type and base URL are unchanged.
 */
export const updatePipelineBodySchema = z.strictObject({
  name: z.string().trim().min(1).max(100).optional(),
  description: z.string().max(2_000).optional(),
  runner: runnerConfigSchema.optional(),
  system_prompt: z.string().max(50_000).optional(),
  model_parameters: modelParametersSchema.optional(),
  memory: z.strictObject({ turns: z.number().int().min(0).max(200).optional() }).optional(),
  group_triggers: z
    .strictObject({
      mention: z.boolean().optional(),
      prefixes: z.array(z.string().min(1).max(32)).max(20).optional(),
      probability: z.number().min(0).max(1).optional(),
    })
    .optional(),
  output: z
    .strictObject({
      streaming: z.boolean().optional(),
      mention_sender_in_group: z.boolean().optional(),
      coalesce_ms: z.number().int().min(0).max(2_000).optional(),
    })
    .optional(),
  images: z.strictObject({ allow_urls: z.boolean().optional() }).optional(),
});
export type UpdatePipelineBody = z.input<typeof updatePipelineBodySchema>;

/** The answer of the model connectivity check. */
export const modelCheckDataSchema = z.object({
  ok: z.boolean(),
  runner: z.string(),
  model: z.string().nullable(),
  latency_ms: z.number().int().nonnegative(),
  /** The model's reply to the probe, when it answered. */
  reply: z.string().nullable(),
  error: z.object({ code: errorCodeSchema, message: z.string() }).nullable(),
});
export type ModelCheckData = z.infer<typeof modelCheckDataSchema>;
