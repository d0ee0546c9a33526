import { describe, expect, it } from 'vitest';
import { decodeServerFrame } from './decode.js';
import { encodeFrame } from './frame-text.js';
import { SERVER_FRAME_RULES, checkServerFrame, type FieldRule } from './server-frame-check.js';
import { serverFrameSchema, type ServerFrame } from './server-frames.js';

/** The zod internals a rule is derived from. */
interface SchemaDefinition {
  type: string;
  innerType?: { _zod: { def: SchemaDefinition } };
  options?: readonly { _zod: { def: SchemaDefinition } }[];
  shape?: Record<string, { _zod: { def: SchemaDefinition } }>;
}

/** The rule a zod field schema implies: its JSON kind, optional and nullable wrappers unwrapped. */
function ruleOf(definition: SchemaDefinition): FieldRule {
  let current = definition;
  let optional = false;
  let nullable = false;
  for (;;) {
    if (current.type === 'optional') optional = true;
    else if (current.type === 'nullable') nullable = true;
    else break;
    current = current.innerType!._zod.def;
  }
  const kinds: Record<string, FieldRule['kind']> = {
    string: 'string',
    enum: 'string',
    literal: 'string',
    number: 'integer',
    boolean: 'boolean',
    object: 'object',
    array: 'array',
    // The one union among frame fields is `message_chain`: a chain or an empty array.
    union: 'array',
  };
  const kind = kinds[current.type];
  if (kind === undefined) throw new Error(`no rule for a ${current.type} field`);
  return { kind, ...(optional ? { optional: true } : {}), ...(nullable ? { nullable: true } : {}) };
}

function rulesOfShape(
  shape: Record<string, { _zod: { def: SchemaDefinition } }>,
): Record<string, FieldRule> {
  return Object.fromEntries(
    Object.entries(shape)
      .filter(([name]) => name !== 'type')
      .map(([name, field]) => [name, ruleOf(field._zod.def)]),
  );
}

const message = {
  id: 2,
  role: 'assistant' as const,
  content: 'hello',
  delta: 'lo',
  message_chain: [],
  timestamp: '2026-11-24T00:00:00.000Z',
  is_final: false,
  status: 'streaming' as const,
  reply_to: 1,
};

const validFrames: ServerFrame[] = [
  {
    type: 'connected',
    connection_id: 'c1',
    pipeline_uuid: 'p',
    session_type: 'person',
    session: 'default',
    heartbeat_interval_ms: 30_000,
    last_seq: 0,
    protocol_version: 1,
    timestamp: 't',
  },
  { type: 'response', seq: 4, data: message },
  {
    type: 'user_message',
    seq: 3,
    data: { ...message, role: 'user', status: 'complete', is_final: true, reply_to: null },
  },
  { type: 'pong', timestamp: 't' },
  { type: 'broadcast', message: 'hi', timestamp: 't' },
  { type: 'session_reset', seq: 5, timestamp: 't' },
  { type: 'resync_required', last_seq: 9, reason: 'gone' },
  { type: 'error', code: 'RATE_LIMITED', message: 'slow down' },
];

describe('checkServerFrame', () => {
  it('has the rules the zod schemas imply, for every frame type and chat message field', () => {
    const options = (serverFrameSchema._zod.def as unknown as SchemaDefinition).options ?? [];
    const derived = Object.fromEntries(
      options.map((option) => {
        const shape = option._zod.def.shape ?? {};
        const type = (shape.type?._zod.def as unknown as { values: string[] }).values[0];
        const data = shape.data?._zod.def.shape;
        return [
          type,
          {
            fields: rulesOfShape(shape),
            ...(data === undefined ? {} : { data: rulesOfShape(data) }),
          },
        ];
      }),
    );
    expect(JSON.parse(JSON.stringify(SERVER_FRAME_RULES))).toEqual(derived);
  });

  it.each(validFrames.map((frame) => [frame.type, frame] as const))(
    'accepts a valid %s frame, as the full decoder does',
    (_type, frame) => {
      expect(decodeServerFrame(encodeFrame(frame)).ok).toBe(true);
      expect(checkServerFrame(encodeFrame(frame))).toEqual({ ok: true, value: frame });
    },
  );

  it.each([
    ['{not json', 'BAD_JSON'],
    ['[1]', 'BAD_FRAME'],
    ['null', 'BAD_FRAME'],
    ['{"type":"mystery"}', 'UNKNOWN_FRAME_TYPE'],
    ['{"type":"toString"}', 'UNKNOWN_FRAME_TYPE'],
    ['{"type":"pong"}', 'BAD_FRAME'],
    ['{"type":"response","seq":1.5,"data":{}}', 'BAD_FRAME'],
    ['{"type":"response","seq":1,"data":null}', 'BAD_FRAME'],
    ['{"type":"response","seq":1,"data":{"id":"x"}}', 'BAD_FRAME'],
    ['{"type":"error","code":"X","message":"m","reply_id":"7"}', 'BAD_FRAME'],
  ])('answers %s with %s, never throwing, as the full decoder does', (text, code) => {
    const checked = checkServerFrame(text);
    expect(!checked.ok && checked.error.code).toBe(code);
    expect(decodeServerFrame(text).ok).toBe(false);
  });
});
