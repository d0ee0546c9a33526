import { describe, expect, it } from 'vitest';
import { matchConnectPath, parseConnectQuery } from './connect-request.js';

describe('connect request', () => {
  it('matches only the chat endpoint', () => {
    expect(matchConnectPath('/api/v1/pipelines/abc/ws/connect')).toBe('abc');
    expect(matchConnectPath('/api/v1/pipelines/abc/ws/connect/')).toBe('abc');
    expect(matchConnectPath('/api/v1/pipelines/abc/ws/messages')).toBeUndefined();
    expect(matchConnectPath('/api/v1/pipelines//ws/connect')).toBeUndefined();
  });

  it('defaults to a person session with cumulative chunks', () => {
    const result = parseConnectQuery('p', new URLSearchParams(''));
    expect(result).toEqual({
      ok: true,
      value: {
        pipelineUuid: 'p',
        sessionType: 'person',
        session: undefined,
        lastSeq: undefined,
        streamMode: 'cumulative',
      },
    });
  });

  it('reads every parameter', () => {
    const result = parseConnectQuery(
      'p',
      new URLSearchParams('session_type=group&session=room-1&last_seq=42&stream=delta'),
    );
    expect(result.ok && result.value).toMatchObject({
      sessionType: 'group',
      session: 'room-1',
      lastSeq: 42,
      streamMode: 'delta',
    });
  });

  it.each([
    ['session_type=team', 'session_type'],
    ['session=a b', 'session'],
    ['last_seq=-1', 'last_seq'],
    ['last_seq=1e3', 'last_seq'],
    ['stream=chunks', 'stream'],
  ])('explains what is wrong with %s', (query, word) => {
    const result = parseConnectQuery('p', new URLSearchParams(query));
    expect(!result.ok && result.error).toContain(word);
  });
});
