import { describe, expect, it } from 'vitest';
import { decodeClientFrame, decodeServerFrame } from './decode.js';
import { messageFrameSchema } from './client-frames.js';
import { encodeFrame } from './frame-text.js';

describe('decodeClientFrame', () => {
  it('decodes the seed message frame', () => {
    const result = decodeClientFrame(
      '{"type": "message", "message": [{"type": "Plain", "text": "你好"}]}',
    );
    expect(result).toEqual({
      ok: true,
      value: { type: 'message', message: [{ type: 'Plain', text: '你好' }] },
    });
  });

  it('reads a frame without type as a message, as the original did', () => {
    const result = decodeClientFrame('{"message": [{"type": "Plain", "text": "hi"}]}');
    expect(result.ok && result.value.type).toBe('message');
  });

  it.each([
    ['{not json', 'BAD_JSON'],
    ['[1,2]', 'BAD_FRAME'],
    ['"text"', 'BAD_FRAME'],
    ['{"type":"shout"}', 'UNKNOWN_FRAME_TYPE'],
    ['{"type":7}', 'UNKNOWN_FRAME_TYPE'],
    ['{"type":"message","message":"hi"}', 'BAD_FRAME'],
    ['{"type":"message","message":[]}', 'BAD_FRAME'],
    ['{"type":"message","message":[{"type":"Plain","text":5}]}', 'BAD_FRAME'],
    ['{"type":"message","message":[{"type":"Video","url":"x"}]}', 'UNSUPPORTED_COMPONENT'],
    ['{"type":"message","message":[{"type":"Image"}]}', 'BAD_FRAME'],
    ['{"type":"message","message":[{"type":"Image","url":"file:///etc/passwd"}]}', 'BAD_FRAME'],
    ['{"type":"cancel","reply_id":"x"}', 'BAD_FRAME'],
    ['{"type":"authenticate"}', 'BAD_FRAME'],
  ])('answers %s with %s, never throwing', (text, code) => {
    const result = decodeClientFrame(text);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe(code);
      expect(result.error.message.length).toBeGreaterThan(10);
    }
  });

  it('names the offending field', () => {
    const result = decodeClientFrame('{"type":"message","message":[{"type":"Plain","text":5}]}');
    expect(!result.ok && result.error.message).toContain('message.0.text');
  });

  it('accepts every supported component', () => {
    const result = decodeClientFrame(
      JSON.stringify({
        type: 'message',
        client_id: 'abc',
        message: [
          { type: 'Quote', message_id: 3 },
          { type: 'At', target: 'bot', display: 'Bot' },
          { type: 'AtAll' },
          { type: 'Image', url: 'https://example.com/a.png' },
          { type: 'Image', base64: 'data:image/png;base64,iVBORw0KGgo=' },
          { type: 'Plain', text: 'look' },
        ],
      }),
    );
    expect(result.ok).toBe(true);
  });
});

describe('decodeServerFrame', () => {
  it('round-trips a response frame', () => {
    const frame = {
      type: 'response' as const,
      seq: 4,
      data: {
        id: 2,
        role: 'assistant' as const,
        content: 'hello',
        delta: 'lo',
        message_chain: [],
        timestamp: '2026-11-24T00:00:00.000Z',
        is_final: false,
        status: 'streaming' as const,
        reply_to: 1,
      },
    };
    expect(decodeServerFrame(encodeFrame(frame))).toEqual({ ok: true, value: frame });
  });

  it('rejects unknown server frames', () => {
    const result = decodeServerFrame('{"type":"mystery"}');
    expect(!result.ok && result.error.code).toBe('UNKNOWN_FRAME_TYPE');
  });
});

describe('decodeClientFrame, text-only messages', () => {
  // The fast path for Plain-only messages must decide exactly as the schema does.
  const frames: unknown[] = [
    { type: 'message', message: [{ type: 'Plain', text: 'hi' }] },
    { message: [{ type: 'Plain', text: 'no type' }] },
    { type: 'message', message: [{ type: 'Plain', text: '' }], client_id: 'c-1' },
    {
      type: 'message',
      message: [
        { type: 'Plain', text: 'a' },
        { type: 'Plain', text: 'b' },
      ],
    },
    { type: 'message', message: [{ type: 'Plain', text: 'x' }], client_id: 'x'.repeat(128) },
    { type: 'message', message: [{ type: 'Plain', text: 'x' }], client_id: 'x'.repeat(129) },
    { type: 'message', message: [{ type: 'Plain', text: 'x' }], client_id: '' },
    { type: 'message', message: [{ type: 'Plain', text: 'x' }], client_id: 7 },
    { type: 'message', message: [{ type: 'Plain', text: 'x' }], client_id: null },
    { type: 'message', message: [{ type: 'Plain', text: 'x', extra: true }] },
    { type: 'message', message: [{ type: 'Plain', text: 'x' }], extra: 1 },
    { type: 'message', message: [{ type: 'Plain' }] },
    { type: 'message', message: [{ type: 'Plain', text: 'x' }, { type: 'AtAll' }] },
    { type: 'message', message: [] },
    { type: 'message', message: {} },
    { type: 'message', message: [null] },
    { type: 'message', message: [['Plain', 'x']] },
  ];
  it.each(frames.map((frame) => [JSON.stringify(frame)]))(
    'decodes %s as the schema does',
    (text) => {
      const raw = JSON.parse(text) as Record<string, unknown>;
      const expected = messageFrameSchema.safeParse({ ...raw, type: 'message' });
      const result = decodeClientFrame(text);
      expect(result.ok).toBe(expected.success);
      if (result.ok && expected.success) expect(result.value).toStrictEqual(expected.data);
    },
  );

  it('reads an own "__proto__" key as an unknown field, as the schema does', () => {
    const text = '{"type":"message","message":[{"type":"Plain","text":"x"}],"__proto__":{"a":1}}';
    const result = decodeClientFrame(text);
    expect(result.ok && result.value).toStrictEqual({
      type: 'message',
      message: [{ type: 'Plain', text: 'x' }],
    });
  });
});
