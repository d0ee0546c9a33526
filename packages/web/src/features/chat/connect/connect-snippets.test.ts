import { describe, expect, it } from 'vitest';
import { createTranslator } from '../../../i18n/translate.js';
import { connectSnippets, webSocketUrl } from './connect-snippets.js';

const target = {
  origin: 'https://chat.example.com',
  pipelineUuid: '0b7e0a39-2f1b-4f5e-9d7c-1f2e3d4c5b6a',
  sessionType: 'group' as const,
  username: "o'neil",
};

describe('connect snippets', () => {
  it('derives wss from https and ws from http, with the session type', () => {
    expect(webSocketUrl(target)).toBe(
      'wss://chat.example.com/api/v1/pipelines/0b7e0a39-2f1b-4f5e-9d7c-1f2e3d4c5b6a/ws/connect?session_type=group',
    );
    expect(webSocketUrl({ ...target, origin: 'http://127.0.0.1:8000' })).toMatch(
      /^ws:\/\/127\.0\.0\.1:8000\/api\/v1\/pipelines\//,
    );
  });

  it('quotes shell arguments, including a quote in the user name', () => {
    const snippets = connectSnippets(target, createTranslator('en'));
    const curl = snippets.find((snippet) => snippet.id === 'curl')?.code ?? '';
    expect(curl).toContain(`-d '{"username":"o'\\''neil","password":"YOUR_PASSWORD"}'`);
    expect(curl).toContain("'https://chat.example.com/api/v1/auth/login'");
    const wscat = snippets.find((snippet) => snippet.id === 'wscat')?.code ?? '';
    expect(wscat).toContain(`-H "Authorization: Bearer $TOKEN" -c 'wss://chat.example.com/`);
    expect(snippets.map((snippet) => snippet.id)).toEqual([
      'url',
      'curl',
      'wscat',
      'websocat',
      'sdk',
    ]);
  });
});
