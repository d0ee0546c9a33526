import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { createLocalizer } from '../../i18n/localizer.js';
import type { Pipeline } from '../../lib/backend.js';
import { ModelCheckResult } from './ModelCheckResult.js';
import {
  createBodyFromForm,
  defaultFormValues,
  formValuesFromPipeline,
  storedApiKeyOf,
  storedKeyFate,
  updateBodyFromForm,
  type PipelineFormValues,
} from './pipeline-form-state.js';
import {
  fieldId,
  fieldOfPath,
  firstInvalidField,
  serverValidationErrors,
  validatePipelineForm,
} from './pipeline-form-validation.js';

/** A stored pipeline as the API returns it (docs/pipelines.md, "The pipeline object"). */
function storedPipeline(overrides: Partial<Pipeline> = {}): Pipeline {
  return {
    uuid: '2318e65d-42b4-452a-93d9-b27eee47f167',
    name: 'Support bot',
    description: 'Answers product questions',
    runner: {
      type: 'openai-compatible',
      settings: {
        base_url: 'http://localhost:11434/v1',
        model: 'llama3.2',
        timeout_ms: 60000,
        vision: true,
        api_key_set: true,
      },
    },
    system_prompt: 'You are the support assistant.',
    model_parameters: { temperature: 0.3, max_output_tokens: 400 },
    memory: { turns: 6 },
    group_triggers: { mention: true, prefixes: ['/ask', 'bot,'], probability: 0.25 },
    output: { streaming: false, mention_sender_in_group: true, coalesce_ms: 80 },
    images: { allow_urls: true },
    is_default: false,
    created_at: '2026-11-24T12:10:50.404Z',
    updated_at: '2026-11-24T12:10:50.404Z',
    ...overrides,
  };
}

function benchValues(): PipelineFormValues {
  return {
    ...defaultFormValues(),
    name: '  Load test  ',
    runnerType: 'bench',
    bench: { chunks: '5', chunkBytes: '128', intervalMs: '0' },
  };
}

describe('pipeline → form values', () => {
  it('shows every stored setting, with numbers as text and prefixes one per line', () => {
    const values = formValuesFromPipeline(storedPipeline());
    expect(values).toMatchObject({
      name: 'Support bot',
      description: 'Answers product questions',
      runnerType: 'openai-compatible',
      openAiCompatible: {
        baseUrl: 'http://localhost:11434/v1',
        model: 'llama3.2',
        timeoutMs: '60000',
        apiKey: '',
        removeStoredApiKey: false,
      },
      systemPrompt: 'You are the support assistant.',
      temperature: '0.3',
      maxOutputTokens: '400',
      memoryTurns: '6',
      mention: true,
      prefixes: '/ask\nbot,',
      probability: '0.25',
      streaming: false,
      mentionSenderInGroup: true,
      coalesceMs: '80',
    });
    // The other runner types keep their defaults, ready if the user switches to them.
    expect(values.bench).toEqual({ chunks: '10', chunkBytes: '64', intervalMs: '10' });
    expect(values.anthropic.baseUrl).toBe('https://api.anthropic.com/v1');
  });

  it('leaves absent model parameters empty (the provider default)', () => {
    const values = formValuesFromPipeline(storedPipeline({ model_parameters: {} }));
    expect(values.temperature).toBe('');
    expect(values.maxOutputTokens).toBe('');
  });

  it('reads bench settings', () => {
    const values = formValuesFromPipeline(
      storedPipeline({
        runner: { type: 'bench', settings: { chunks: 3, chunk_bytes: 1024, interval_ms: 250 } },
      }),
    );
    expect(values.runnerType).toBe('bench');
    expect(values.bench).toEqual({ chunks: '3', chunkBytes: '1024', intervalMs: '250' });
  });
});

describe('form values → request body', () => {
  it('creates a bench pipeline with every section, the name trimmed', () => {
    expect(createBodyFromForm(benchValues())).toEqual({
      name: 'Load test',
      description: '',
      runner: { type: 'bench', settings: { chunks: 5, chunk_bytes: 128, interval_ms: 0 } },
      system_prompt: '',
      model_parameters: {},
      memory: { turns: 10 },
      group_triggers: { mention: true, prefixes: [], probability: 0 },
      output: { streaming: true, mention_sender_in_group: false, coalesce_ms: 50 },
      images: { allow_urls: false },
    });
  });

  it('round-trips a stored pipeline into the same settings, leaving the key out to keep it', () => {
    const body = updateBodyFromForm(formValuesFromPipeline(storedPipeline()));
    expect(body).toEqual({
      name: 'Support bot',
      description: 'Answers product questions',
      runner: {
        type: 'openai-compatible',
        settings: {
          base_url: 'http://localhost:11434/v1',
          model: 'llama3.2',
          timeout_ms: 60000,
          vision: true,
        },
      },
      system_prompt: 'You are the support assistant.',
      model_parameters: { temperature: 0.3, max_output_tokens: 400 },
      memory: { turns: 6 },
      group_triggers: { mention: true, prefixes: ['/ask', 'bot,'], probability: 0.25 },
      output: { streaming: false, mention_sender_in_group: true, coalesce_ms: 80 },
      images: { allow_urls: true },
    });
  });

  it('sends a typed key, or null to remove the stored one, and never null on create', () => {
    const values = formValuesFromPipeline(storedPipeline());
    const replaced = updateBodyFromForm({
      ...values,
      openAiCompatible: { ...values.openAiCompatible, apiKey: '  sk-new  ' },
    });
    expect(replaced.runner?.settings).toMatchObject({ api_key: 'sk-new' });

    const removing = { ...values.openAiCompatible, removeStoredApiKey: true };
    const removed = updateBodyFromForm({ ...values, openAiCompatible: removing });
    expect(removed.runner?.settings).toMatchObject({ api_key: null });
    const created = createBodyFromForm({ ...values, openAiCompatible: removing });
    expect(created.runner?.settings).not.toHaveProperty('api_key');
  });

  it('uses the runner default base URL when the field is emptied', () => {
    const values = defaultFormValues();
    const body = createBodyFromForm({
      ...values,
      name: 'Claude',
      runnerType: 'anthropic',
      anthropic: { ...values.anthropic, baseUrl: ' ', model: 'claude-sonnet-4-5' },
    });
    expect(body.runner).toEqual({
      type: 'anthropic',
      settings: {
        base_url: 'https://api.anthropic.com/v1',
        model: 'claude-sonnet-4-5',
        timeout_ms: 60000,
        vision: false,
      },
    });
  });

  it('drops blank prefix lines and sends an emptied temperature as absent', () => {
    const body = createBodyFromForm({
      ...benchValues(),
      prefixes: ' /ask \n\n  !bot\n',
      temperature: '',
      maxOutputTokens: '256',
    });
    expect(body.group_triggers?.prefixes).toEqual(['/ask', '!bot']);
    expect(body.model_parameters).toEqual({ max_output_tokens: 256 });
  });
});

describe('the stored API key', () => {
  it('is kept for the same runner type and base URL only', () => {
    const pipeline = storedPipeline();
    const stored = storedApiKeyOf(pipeline);
    const values = formValuesFromPipeline(pipeline);
    expect(storedKeyFate(values, stored)).toBe('kept');
    const moved = {
      ...values,
      openAiCompatible: { ...values.openAiCompatible, baseUrl: 'https://api.deepseek.com/v1' },
    };
    expect(storedKeyFate(moved, stored)).toBe('dropped');
    expect(storedKeyFate({ ...values, runnerType: 'anthropic' }, stored)).toBe('dropped');
    expect(storedKeyFate(values, undefined)).toBe('none');
    expect(
      storedKeyFate(
        benchValues(),
        storedApiKeyOf(storedPipeline({ runner: { type: 'echo', settings: { delay_ms: 30 } } })),
      ),
    ).toBe('none');
  });
});

const english = createLocalizer('en');

describe('client-side validation', () => {
  it('accepts the defaults with a name', () => {
    expect(validatePipelineForm({ ...defaultFormValues(), name: 'Echo' }, english)).toEqual({});
  });

  it('names each invalid field with a message that states the allowed values', () => {
    const values = defaultFormValues();
    const errors = validatePipelineForm(
      {
        ...values,
        name: '   ',
        runnerType: 'openai-compatible',
        openAiCompatible: {
          ...values.openAiCompatible,
          baseUrl: 'localhost:11434/v1',
          model: '',
          timeoutMs: '999',
        },
        temperature: '2.5',
        maxOutputTokens: '1.5',
        memoryTurns: '',
        prefixes: 'x'.repeat(33),
        probability: 'abc',
        coalesceMs: '2001',
      },
      english,
    );
    expect(errors).toEqual({
      name: 'Enter a name.',
      'runner.settings.base_url':
        'Enter a URL starting with http:// or https://, e.g. http://localhost:11434/v1.',
      'runner.settings.model': 'Enter the model name.',
      'runner.settings.timeout_ms': 'Enter a number from 1,000 to 600,000.',
      'model_parameters.temperature': 'Enter a number from 0 to 2.',
      'model_parameters.max_output_tokens': 'Enter a whole number.',
      'memory.turns': 'Enter a number.',
      'group_triggers.prefixes': `A prefix has at most 32 characters: "${'x'.repeat(33)}" is longer.`,
      'group_triggers.probability': 'Enter a number.',
      'output.coalesce_ms': 'Enter a number from 0 to 2,000.',
    });
    expect(firstInvalidField(errors)).toBe('name');
  });

  it('checks the bench limits and only the settings of the chosen runner', () => {
    const errors = validatePipelineForm(
      {
        ...benchValues(),
        bench: { chunks: '0', chunkBytes: '65537', intervalMs: '60000' },
        // Invalid, but not the chosen runner: must not block saving a bench pipeline.
        echo: { delayMs: '-1' },
      },
      english,
    );
    expect(errors).toEqual({
      'runner.settings.chunks': 'Enter a number from 1 to 100,000.',
      'runner.settings.chunk_bytes': 'Enter a number from 1 to 65,536.',
    });
    expect(firstInvalidField(errors)).toBe('runner.settings.chunks');
  });

  it('limits prefixes to 20 and text lengths to the server maximum', () => {
    const prefixes = Array.from({ length: 21 }, (_, index) => `/p${index}`).join('\n');
    const errors = validatePipelineForm(
      {
        ...benchValues(),
        name: 'n'.repeat(101),
        systemPrompt: 's'.repeat(50_001),
        prefixes,
      },
      english,
    );
    expect(errors.name).toBe('At most 100 characters (now 101).');
    expect(errors.system_prompt).toBe('At most 50,000 characters (now 50,001).');
    expect(errors['group_triggers.prefixes']).toBe('At most 20 prefixes (now 21).');
  });

  it('words the messages in the console language', () => {
    const errors = validatePipelineForm(
      { ...benchValues(), name: '', bench: { chunks: '0', chunkBytes: '1.5', intervalMs: '1' } },
      createLocalizer('zh-CN'),
    );
    expect(errors).toEqual({
      name: '请输入名称。',
      'runner.settings.chunks': '请输入 1 到 100,000 之间的数字。',
      'runner.settings.chunk_bytes': '请输入整数。',
    });
  });
});

describe('server VALIDATION_FAILED → fields', () => {
  it('puts each problem under the field its path names', () => {
    const mapped = serverValidationErrors(
      'Invalid pipeline changes: model_parameters.temperature: Too big: expected number to be <=2; memory.turns: Too big: expected number to be <=200.',
    );
    expect(mapped).toEqual({
      fields: {
        'model_parameters.temperature': 'Too big: expected number to be <=2.',
        'memory.turns': 'Too big: expected number to be <=200.',
      },
      other: [],
    });
    expect(firstInvalidField(mapped.fields)).toBe('model_parameters.temperature');
  });

  it('maps nested paths and runner settings, and keeps unknown problems apart', () => {
    const mapped = serverValidationErrors(
      'Invalid pipeline: group_triggers.prefixes.3: Too big: expected string to have <=32 characters; runner.settings.base_url: base_url must start with http:// or https://; Unrecognized key: "temperature".',
    );
    expect(mapped.fields).toEqual({
      'group_triggers.prefixes': 'Too big: expected string to have <=32 characters.',
      'runner.settings.base_url': 'base_url must start with http:// or https://.',
    });
    expect(mapped.other).toEqual(['Unrecognized key: "temperature"']);
  });

  it('finds the field of a path, the runner as a whole going to its select', () => {
    expect(fieldOfPath('runner.settings.model')).toBe('runner.settings.model');
    expect(fieldOfPath('runner')).toBe('runner.type');
    expect(fieldOfPath('output.coalesce_ms')).toBe('output.coalesce_ms');
    expect(fieldOfPath('output')).toBeUndefined();
    expect(fieldOfPath('names')).toBeUndefined();
    expect(fieldId('model_parameters.max_output_tokens')).toBe(
      'pipeline-model-parameters-max-output-tokens',
    );
  });
});

describe('ModelCheckResult', () => {
  it('shows latency, model and reply of a passed check', () => {
    const html = renderToStaticMarkup(
      createElement(ModelCheckResult, {
        outcome: {
          kind: 'answered',
          result: {
            ok: true,
            runner: 'openai-compatible',
            model: 'llama3.2',
            latency_ms: 122,
            reply: 'ok',
            error: null,
          },
        },
      }),
    );
    expect(html).toContain('The model answered');
    expect(html).toContain('model llama3.2 · 122 ms');
    expect(html).toContain('<q class="font-mono text-xs">ok</q>');
  });

  it('shows the error code and message of a failed check, and cuts long replies', () => {
    const failed = renderToStaticMarkup(
      createElement(ModelCheckResult, {
        outcome: {
          kind: 'answered',
          result: {
            ok: false,
            runner: 'anthropic',
            model: 'claude-3-5-haiku-latest',
            latency_ms: 0,
            reply: null,
            error: { code: 'MODEL_NOT_CONFIGURED', message: 'Pipeline has no API key.' },
          },
        },
      }),
    );
    expect(failed).toContain('did not answer');
    expect(failed).toContain('MODEL_NOT_CONFIGURED</code>: Pipeline has no API key.');
    const long = renderToStaticMarkup(
      createElement(ModelCheckResult, {
        outcome: {
          kind: 'answered',
          result: {
            ok: true,
            runner: 'bench',
            model: null,
            latency_ms: 3,
            reply: 'x'.repeat(640),
            error: null,
          },
        },
      }),
    );
    expect(long).toContain('(640 characters)');
    expect(long).not.toContain('model null');
  });
});
