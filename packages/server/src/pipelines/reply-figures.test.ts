import { describe, expect, it } from 'vitest';
import { codePoints, ReplyFiguresRecorder } from './reply-figures.js';

describe('ReplyFiguresRecorder', () => {
  it('measures from the stored message: first chunk, duration, chunks and characters', () => {
    let now = 1_000;
    const recorder = new ReplyFiguresRecorder({ startedAt: 1_000, now: () => now });
    now = 1_120;
    recorder.recordChunk('');
    recorder.recordChunk('Hé');
    now = 1_300;
    recorder.recordChunk('llo 👋');
    now = 1_450;
    expect(recorder.finish('Héllo 👋')).toEqual({
      first_chunk_ms: 120,
      duration_ms: 450,
      chunks: 2,
      characters: 7,
      input_tokens: null,
      output_tokens: null,
      finish_reason: null,
    });
  });

  it('carries the provider’s usage, dropping counts it did not give', () => {
    const recorder = new ReplyFiguresRecorder({ startedAt: 0, now: () => 10 });
    recorder.recordUsage({ inputTokens: 12, outputTokens: undefined, finishReason: 'length' });
    const figures = recorder.finish('');
    expect(figures).toMatchObject({
      first_chunk_ms: null,
      input_tokens: 12,
      output_tokens: null,
      finish_reason: 'length',
    });
  });

  it('counts characters as code points, as Array.from does, lone surrogates included', () => {
    const texts = [
      '',
      'abc',
      'Héllo 👋',
      '👋👋',
      '\ud83d',
      'a\ud83d',
      '\udc4bb',
      '\ud83d\ud83d\udc4b',
      '\udc4b\ud83d',
    ];
    for (const text of texts) expect(codePoints(text)).toBe(Array.from(text).length);
  });
});
