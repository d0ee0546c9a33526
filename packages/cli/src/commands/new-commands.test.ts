import { describe, expect, it } from 'vitest';
import { createColors } from '../output/colors.js';
import { renderHistory } from './conversation.js';
import { buildUpdatePipelineBody } from './pipeline-maintenance.js';
import { parseWebSocketUrl } from './raw.js';
import { renderUserTable } from './users.js';

const plain = createColors(false);
const now = Date.parse('2026-12-05T12:00:00.000Z');

describe('pipelines update', () => {
  const modelPipeline = {
    uuid: 'p',
    name: 'n',
    runner: {
      type: 'openai-compatible',
      settings: { base_url: 'http://m/v1', model: 'old', timeout_ms: 60_000, api_key_set: true },
    },
  } as unknown as Parameters<typeof buildUpdatePipelineBody>[1];

  it('sends only what was given, and a new model with the runner settings kept but no key', () => {
    expect(buildUpdatePipelineBody({ name: 'x', systemPrompt: 'Be brief.' }, undefined)).toEqual({
      name: 'x',
      system_prompt: 'Be brief.',
    });
    expect(buildUpdatePipelineBody({ model: ' new ' }, modelPipeline)).toEqual({
      runner: {
        type: 'openai-compatible',
        settings: { base_url: 'http://m/v1', model: 'new', timeout_ms: 60_000 },
      },
    });
  });

  it('refuses an empty update and a model for a runner without one', () => {
    expect(() => buildUpdatePipelineBody({}, undefined)).toThrow(/Nothing to update/);
    const echo = { runner: { type: 'echo', settings: { delay_ms: 5 } } } as unknown as Parameters<
      typeof buildUpdatePipelineBody
    >[1];
    expect(() => buildUpdatePipelineBody({ model: 'm' }, echo)).toThrow(/has no model/);
  });
});

describe('raw', () => {
  it('takes ws(s) URLs, turns http(s) ones into them and refuses the rest', () => {
    expect(parseWebSocketUrl('ws://h:1/a?b=c').href).toBe('ws://h:1/a?b=c');
    expect(parseWebSocketUrl('https://h/a').href).toBe('wss://h/a');
    expect(() => parseWebSocketUrl('ftp://h')).toThrow(/ws:\/\/ or wss:\/\//);
    expect(() => parseWebSocketUrl('nonsense')).toThrow(/ws:\/\/ or wss:\/\//);
  });
});

describe('history and users output', () => {
  it('prints a transcript with relative times, statuses and how to page back', () => {
    const message = {
      message_chain: [],
      is_final: true,
      connection_id: null,
      client_id: null,
    };
    const text = renderHistory(
      {
        has_more: true,
        last_seq: 4,
        messages: [
          {
            ...message,
            id: 3,
            role: 'user',
            content: 'hi',
            timestamp: '2026-12-05T11:55:00.000Z',
            status: 'complete',
            reply_to: null,
            sender: { id: 's', name: 'ada' },
          },
          {
            ...message,
            id: 4,
            role: 'assistant',
            content: 'hel',
            timestamp: '2026-12-05T11:59:58.000Z',
            status: 'cancelled',
            reply_to: 3,
          },
        ],
      },
      plain,
      now,
    );
    expect(text).toBe(
      '(older messages: --before 3)\n#3  5 min ago  ada: hi\n#4  just now  bot: hel [cancelled]\n',
    );
  });

  it('lists users with relative creation times and long names cut', () => {
    const table = renderUserTable(
      [
        { id: 1, username: 'admin', role: 'admin', created_at: '2026-12-03T12:00:00.000Z' },
        {
          id: 12,
          username: 'x'.repeat(40),
          role: 'member',
          created_at: '2026-12-05T11:00:00.000Z',
        },
      ],
      plain,
      now,
    );
    expect(table).toContain(' 1  admin');
    expect(table).toContain('2 days ago');
    expect(table).toContain(`12  ${'x'.repeat(31)}…  member  1 h ago`);
  });
});
