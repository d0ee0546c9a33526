import { updatePipelineBodySchema } from '@botwire/protocol';
import { describe, expect, it } from 'vitest';
import { pipelineFixture } from './pipeline-fixture.test-support.js';
import { mergePipelineUpdate } from './pipeline-update.js';
import { toPublicPipeline } from './public-pipeline.js';

const stored = pipelineFixture({
  runner: {
    type: 'openai-compatible',
    settings: {
      base_url: 'http://localhost:11434/v1',
      api_key: 'sk-secret-1',
      model: 'llama3',
      timeout_ms: 60_000,
      vision: false,
    },
  },
});
const merge = (body: unknown) => mergePipelineUpdate(stored, updatePipelineBodySchema.parse(body));

describe('pipeline updates', () => {
  it('keeps the stored API key when the same runner comes back without one', () => {
    const changes = merge({
      runner: {
        type: 'openai-compatible',
        settings: { model: 'llama3.1', base_url: 'http://localhost:11434/v1' },
      },
    });
    expect(changes.runner).toMatchObject({
      settings: { api_key: 'sk-secret-1', model: 'llama3.1' },
    });
  });

  it('removes the key on null and drops it when the runner type changes', () => {
    expect(
      merge({ runner: { type: 'openai-compatible', settings: { model: 'm', api_key: null } } })
        .runner,
    ).toMatchObject({
      settings: { api_key: null },
    });
    expect(
      merge({ runner: { type: 'anthropic', settings: { model: 'claude' } } }).runner,
    ).toMatchObject({
      settings: { model: 'claude' },
    });
    expect(
      merge({ runner: { type: 'anthropic', settings: { model: 'claude' } } }).runner,
    ).not.toHaveProperty('settings.api_key', 'sk-secret-1');
  });

  it('changes only the named fields of a section, even when others were not defaults', () => {
    const customised = pipelineFixture({
      output: { streaming: true, mention_sender_in_group: true, coalesce_ms: 80 },
      group_triggers: { mention: false, prefixes: ['/ask'], probability: 0.5 },
    });
    const changes = mergePipelineUpdate(
      customised,
      updatePipelineBodySchema.parse({
        output: { coalesce_ms: 0 },
        group_triggers: { probability: 1 },
      }),
    );
    expect(changes.behaviour?.output).toEqual({
      streaming: true,
      mention_sender_in_group: true,
      coalesce_ms: 0,
    });
    expect(changes.behaviour?.group_triggers).toEqual({
      mention: false,
      prefixes: ['/ask'],
      probability: 1,
    });
  });

  it('does not carry the key to another base URL', () => {
    const moved = merge({
      runner: {
        type: 'openai-compatible',
        settings: { model: 'x', base_url: 'https://evil.example/v1' },
      },
    });
    expect(moved.runner).not.toHaveProperty('settings.api_key', 'sk-secret-1');
  });

  it('rejects unknown fields and scheme-less base URLs', () => {
    expect(updatePipelineBodySchema.safeParse({ temperature: 1 }).success).toBe(false);
    expect(
      updatePipelineBodySchema.safeParse({
        runner: {
          type: 'openai-compatible',
          settings: { model: 'm', base_url: 'localhost:11434/v1' },
        },
      }).success,
    ).toBe(false);
  });

  it('merges the sections it names and keeps the others', () => {
    const changes = merge({ memory: { turns: 3 }, output: { streaming: false } });
    expect(changes.behaviour).toMatchObject({
      memory: { turns: 3 },
      output: { streaming: false, coalesce_ms: 50 },
    });
    expect(changes.runner).toBeUndefined();
  });

  it('never shows the key in the public pipeline', () => {
    const shown = toPublicPipeline(stored);
    expect(shown.runner).toEqual({
      type: 'openai-compatible',
      settings: {
        base_url: 'http://localhost:11434/v1',
        model: 'llama3',
        timeout_ms: 60_000,
        vision: false,
        api_key_set: true,
      },
    });
    expect(JSON.stringify(shown)).not.toContain('sk-secret-1');
  });
});
