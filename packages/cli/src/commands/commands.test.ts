import { describe, expect, it } from 'vitest';
import { UsageError } from '../exit-codes.js';
import { checkMultiFlags, multiText } from './chat.js';
import { buildCreatePipelineBody, type CreatePipelineFlags } from './pipelines.js';
import { resolveServerEntry, serverArguments } from './serve.js';

const flags = (overrides: Partial<CreatePipelineFlags>): CreatePipelineFlags => ({
  name: 'x',
  runner: 'echo',
  ...overrides,
});

describe('buildCreatePipelineBody', () => {
  it('builds an echo pipeline by default', () => {
    expect(buildCreatePipelineBody(flags({ systemPrompt: 'Be brief.' }), {})).toEqual({
      name: 'x',
      system_prompt: 'Be brief.',
      runner: { type: 'echo' },
    });
  });

  it('builds a model runner with its settings', () => {
    expect(
      buildCreatePipelineBody(
        flags({
          runner: 'openai-compatible',
          model: 'llama3.2',
          baseUrl: 'http://localhost:11434/v1',
          description: 'local',
        }),
        {},
      ),
    ).toEqual({
      name: 'x',
      description: 'local',
      runner: {
        type: 'openai-compatible',
        settings: { model: 'llama3.2', base_url: 'http://localhost:11434/v1' },
      },
    });
    expect(
      buildCreatePipelineBody(
        flags({ runner: 'anthropic', model: 'claude-sonnet-4-5', modelApiKeyEnv: 'KEY' }),
        { KEY: ' sk-ant-1 ' },
      ).runner,
    ).toEqual({ type: 'anthropic', settings: { model: 'claude-sonnet-4-5', api_key: 'sk-ant-1' } });
  });

  it('refuses flags that do not fit the runner', () => {
    expect(() => buildCreatePipelineBody(flags({ runner: 'anthropic' }), {})).toThrow(
      '--runner anthropic needs --model',
    );
    expect(() => buildCreatePipelineBody(flags({ model: 'gpt' }), {})).toThrow(UsageError);
    expect(() =>
      buildCreatePipelineBody(
        flags({ runner: 'anthropic', model: 'm', modelApiKey: 'a', modelApiKeyEnv: 'B' }),
        {},
      ),
    ).toThrow('not both');
    expect(() =>
      buildCreatePipelineBody(
        flags({ runner: 'anthropic', model: 'm', modelApiKeyEnv: 'NONE' }),
        {},
      ),
    ).toThrow('NONE is not set');
    expect(() =>
      buildCreatePipelineBody(
        flags({ runner: 'anthropic', model: 'm', baseUrl: 'localhost:1' }),
        {},
      ),
    ).toThrow('--base-url');
  });
});

describe('chat flags', () => {
  it('keeps --multi options with --multi', () => {
    expect(() => checkMultiFlags({ sessionType: 'person', json: true })).toThrow(
      '--json: only with --multi',
    );
    expect(() => checkMultiFlags({ sessionType: 'person', messages: 2, timeout: 5 })).toThrow(
      '--messages, --timeout: only with --multi',
    );
    expect(() =>
      checkMultiFlags({ sessionType: 'person', multi: 2, messages: 2, json: true }),
    ).not.toThrow();
    expect(() =>
      checkMultiFlags({ sessionType: 'person', multi: 2, session: 'x'.repeat(64) }),
    ).toThrow(UsageError);
  });

  it('fills in the --multi text template', () => {
    expect(multiText('msg {m} of conn {c} ({c})', 0, 4)).toBe('msg 5 of conn 1 (1)');
  });
});

describe('serve', () => {
  it('passes the flags through to the server', () => {
    expect(serverArguments({})).toEqual([]);
    expect(
      serverArguments({
        port: 0,
        host: '0.0.0.0',
        config: 'b.yaml',
        dataDir: 'd',
        logLevel: 'warn',
      }),
    ).toEqual([
      '--port',
      '0',
      '--host',
      '0.0.0.0',
      '--config',
      'b.yaml',
      '--data-dir',
      'd',
      '--log-level',
      'warn',
    ]);
  });

  it('finds the server entry from its package.json, or beside its main module', () => {
    expect(
      resolveServerEntry((specifier) => {
        expect(specifier).toBe('@botwire/server/package.json');
        return 'file:///app/node_modules/@botwire/server/package.json';
      }),
    ).toBe('/app/node_modules/@botwire/server/dist/main.js');
    expect(
      resolveServerEntry((specifier) => {
        if (specifier.endsWith('package.json')) throw new Error('ERR_PACKAGE_PATH_NOT_EXPORTED');
        return 'file:///app/node_modules/@botwire/server/dist/index.js';
      }),
    ).toBe('/app/node_modules/@botwire/server/dist/main.js');
    expect(() =>
      resolveServerEntry(() => {
        throw new Error('not found');
      }),
    ).toThrow('Cannot find the Botwire server');
  });
});
