import { COMPONENT_TYPES, findUnsupportedComponent } from './component-types.js';
import { parseJson, type DecodeError } from './frame-text.js';
import { err, ok, type Result } from './result.js';
import type { ServerFrame } from './server-frames.js';

/** The JSON type of a frame field, as {@link checkServerFrame} checks it. */
export type FieldKind = 'string' | 'integer' | 'boolean' | 'object' | 'array';

/** One field of a frame: its JSON type, and whether it may be absent (`?`) or null. */
export interface FieldRule {
  kind: FieldKind;
  optional?: true;
  nullable?: true;
}

const string: FieldRule = { kind: 'string' };
const integer: FieldRule = { kind: 'integer' };
const object: FieldRule = { kind: 'object' };

/** The fields of a chat message (`user_message.data`, `response.data`). */
const CHAT_MESSAGE_FIELDS: Readonly<Record<string, FieldRule>> = {
  id: integer,
  role: string,
  content: string,
  message_chain: { kind: 'array' },
  timestamp: string,
  is_final: { kind: 'boolean' },
  status: string,
  reply_to: { kind: 'integer', nullable: true },
  connection_id: { kind: 'string', optional: true, nullable: true },
  client_id: { kind: 'string', optional: true, nullable: true },
  sender: { kind: 'object', optional: true, nullable: true },
  figures: { kind: 'object', optional: true, nullable: true },
};

/**
 * The top-level fields of every server frame and, for the two that carry a chat message, the
 * fields of `data`. The zod schemas in `server-frames.ts` are the source of the shapes; a test
 * derives these rules from them, so the two cannot drift apart.
 */
export const SERVER_FRAME_RULES = {
  connected: {
    fields: {
      connection_id: string,
      pipeline_uuid: string,
      session_type: string,
      session: string,
      heartbeat_interval_ms: integer,
      last_seq: integer,
      protocol_version: integer,
      timestamp: string,
    },
  },
  user_message: { fields: { seq: integer, data: object }, data: CHAT_MESSAGE_FIELDS },
  response: {
    fields: { seq: integer, data: object },
    data: { ...CHAT_MESSAGE_FIELDS, delta: string },
  },
  pong: { fields: { timestamp: string } },
  broadcast: { fields: { message: string, timestamp: string } },
  session_reset: { fields: { seq: integer, timestamp: string } },
  resync_required: { fields: { last_seq: integer, reason: string } },
  error: {
    fields: {
      code: string,
      message: string,
      reply_id: { kind: 'integer', optional: true },
      seq: { kind: 'integer', optional: true },
      retry_after_seconds: { kind: 'integer', optional: true },
    },
  },
} as const satisfies Record<
  ServerFrame['type'],
  {
    fields: Readonly<Record<string, FieldRule>>;
    data?: Readonly<Record<string, FieldRule>>;
  }
>;

function kindOf(value: unknown): FieldKind | 'null' | 'other' {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (Number.isInteger(value)) return 'integer';
  const type = typeof value;
  return type === 'string' || type === 'boolean' || type === 'object' ? type : 'other';
}

function findMismatch(
  record: Record<string, unknown>,
  rules: Readonly<Record<string, FieldRule>>,
  prefix: string,
): string | undefined {
  for (const [name, rule] of Object.entries(rules)) {
    const value = record[name];
    if (value === undefined && rule.optional) continue;
    if (value === null && rule.nullable) continue;
    if (kindOf(value) !== rule.kind) return `${prefix}${name}: expected ${rule.kind}`;
  }
  return undefined;
}

/**
 * A cheap check of a server frame, for browsers: it reads the JSON, checks the frame `type`
 * and each field's JSON type (and those of a chat message's `data`), and returns the frame
 * typed. Unlike {@link decodeServerFrame} it does not check enumerations, message chains or
 * number ranges, trusting the server for those, and it needs no zod, so a browser bundle of
 * the SDK stays small. Never throws.
 */
export function checkServerFrame(text: string): Result<ServerFrame, DecodeError> {
  const parsed = parseJson(text);
  if (!parsed.ok) return parsed;
  const frame = parsed.value;
  if (kindOf(frame) !== 'object') {
    return err({
      code: 'BAD_FRAME',
      message: 'A frame must be a JSON object with a "type" field.',
    });
  }
  const record = frame as Record<string, unknown>;
  const { type } = record;
  const rules: { fields: Record<string, FieldRule>; data?: Record<string, FieldRule> } | undefined =
    typeof type === 'string' && Object.hasOwn(SERVER_FRAME_RULES, type)
      ? SERVER_FRAME_RULES[type as ServerFrame['type']]
      : undefined;
  if (rules === undefined) {
    return err({
      code: 'UNKNOWN_FRAME_TYPE',
      message: `Unknown server frame type ${JSON.stringify(type)}; expected one of ${Object.keys(SERVER_FRAME_RULES).join(', ')}.`,
    });
  }
  const mismatch =
    findMismatch(record, rules.fields, '') ??
    (rules.data === undefined
      ? undefined
      : findMismatch(record.data as Record<string, unknown>, rules.data, 'data.'));
  if (mismatch !== undefined) {
    return err({
      code: 'BAD_FRAME',
      message: `Invalid ${JSON.stringify(type)} frame: ${mismatch}.`,
    });
  }
  return ok(record as ServerFrame);
}

/**
 * A cheap check of a client frame before it is sent: a JSON object whose message chain, if it
 * has one, is a non-empty list of known components. The server still decodes it in full.
 */
export function checkClientFrame(text: string): Result<unknown, DecodeError> {
  const parsed = parseJson(text);
  if (!parsed.ok) return parsed;
  if (kindOf(parsed.value) !== 'object') {
    return err({
      code: 'BAD_FRAME',
      message: 'A frame must be a JSON object with a "type" field.',
    });
  }
  const { message } = parsed.value as { message?: unknown };
  if (message === undefined) return parsed;
  if (!Array.isArray(message) || message.length === 0) {
    return err({
      code: 'BAD_FRAME',
      message: 'Invalid "message" frame: message: a message chain needs at least one component.',
    });
  }
  const unsupported = findUnsupportedComponent(message);
  if (unsupported !== undefined) {
    return err({
      code: 'UNSUPPORTED_COMPONENT',
      message: `Message component ${JSON.stringify(unsupported)} is not supported; use one of ${COMPONENT_TYPES.join(', ')}.`,
    });
  }
  return parsed;
}

/**
 * How a client checks frames: what arrives (`decodeServerFrame`) and what it is about to send
 * (`checkClientFrame`). Both return a Result and never throw.
 */
export interface FrameValidator {
  decodeServerFrame(text: string): Result<ServerFrame, DecodeError>;
  checkClientFrame(text: string): Result<unknown, DecodeError>;
}

/**
 * The cheap checks above: no zod, for small browser bundles. The SDK's default.
 */
export const SHAPE_FRAME_VALIDATOR: FrameValidator = Object.freeze({
  decodeServerFrame: checkServerFrame,
  checkClientFrame,
});
