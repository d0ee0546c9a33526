import type { z } from 'zod/mini';
import { COMPONENT_TYPES, findUnsupportedComponent } from './component-types.js';
import { CLIENT_FRAME_TYPES, clientFrameSchema, type ClientFrame } from './client-frames.js';
import { parseJson, type DecodeError } from './frame-text.js';
import { err, ok, type Result } from './result.js';
import type { FrameValidator } from './server-frame-check.js';
import { SERVER_FRAME_TYPES, serverFrameSchema, type ServerFrame } from './server-frames.js';

/** Formats zod issues as `path: message; ...` so an error frame says exactly what was wrong. */
export function describeIssues(error: z.core.$ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => {
      const path = issue.path.map(String).join('.');
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join('; ');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads the JSON object of a frame and its `type` (or `defaultType` when absent), checking the
 * type is one of `knownTypes`. Shared by both directions so they reject bad input alike.
 */
function readFrame(
  text: string,
  options: { knownTypes: readonly string[]; defaultType?: string; side: 'client' | 'server' },
): Result<{ raw: Record<string, unknown>; type: string }, DecodeError> {
  const parsed = parseJson(text);
  if (!parsed.ok) return parsed;
  const raw = parsed.value;
  if (!isRecord(raw)) {
    return err({
      code: 'BAD_FRAME',
      message: 'A frame must be a JSON object with a "type" field.',
    });
  }
  const type = raw.type ?? options.defaultType;
  if (typeof type !== 'string' || !options.knownTypes.includes(type)) {
    return err({
      code: 'UNKNOWN_FRAME_TYPE',
      message: `Unknown ${options.side} frame type ${JSON.stringify(type)}; expected one of ${options.knownTypes.join(', ')}.`,
    });
  }
  return ok({ raw, type });
}

function schemaMismatch(type: string, error: z.core.$ZodError): { ok: false; error: DecodeError } {
  return err({
    code: 'BAD_FRAME',
    message: `Invalid ${JSON.stringify(type)} frame: ${describeIssues(error)}.`,
  });
}

/** The most `client_id` may hold, as `messageFrameSchema` says. */
const MAX_CLIENT_ID_LENGTH = 128;

function isPlainComponent(value: unknown): value is { type: 'Plain'; text: string } {
  if (!isRecord(value) || value.type !== 'Plain' || typeof value.text !== 'string') return false;
  let keys = 0;
  for (const key in value) if (Object.hasOwn(value, key)) keys += 1;
  return keys === 2;
}

/**
 * The message frame of text only (`Plain` components, an optional `client_id`, no other field),
 * checked without zod: the shape of nearly every chat message, on the hot path of every message.
 * Undefined for anything else, which the schema then decides. Its result is what
 * `messageFrameSchema` gives for the same input (a test compares them), built fresh so the
 * caller never holds the parsed JSON.
 */
function plainMessageFrame(raw: Record<string, unknown>): ClientFrame | undefined {
  let keys = 0;
  for (const key in raw) {
    if (!Object.hasOwn(raw, key)) continue;
    if (key !== 'type' && key !== 'message' && key !== 'client_id') return undefined;
    keys += 1;
  }
  const { message, client_id: clientId } = raw;
  if (!Array.isArray(message) || message.length === 0) return undefined;
  if (
    clientId !== undefined &&
    (typeof clientId !== 'string' || clientId.length < 1 || clientId.length > MAX_CLIENT_ID_LENGTH)
  ) {
    return undefined;
  }
  const chain: { type: 'Plain'; text: string }[] = [];
  for (const component of message as unknown[]) {
    if (!isPlainComponent(component)) return undefined;
    chain.push({ type: 'Plain', text: component.text });
  }
  // `type` may be absent (read as `message`); it is the only key that may be.
  if (keys !== (raw.type === undefined ? 0 : 1) + 1 + (clientId === undefined ? 0 : 1)) {
    return undefined;
  }
  return clientId === undefined
    ? { type: 'message', message: chain }
    : { type: 'message', message: chain, client_id: clientId };
}

/**
 * Decodes one client frame. Never throws: malformed JSON, an unknown type, an unsupported
 * component or a schema mismatch each come back as a {@link DecodeError} with its own code.
 * A frame without `type` is a `message`, as in the original protocol.
 */
export function decodeClientFrame(text: string): Result<ClientFrame, DecodeError> {
  const read = readFrame(text, {
    knownTypes: CLIENT_FRAME_TYPES,
    defaultType: 'message',
    side: 'client',
  });
  if (!read.ok) return read;
  const { raw, type } = read.value;
  if (type === 'message') {
    const plain = plainMessageFrame(raw);
    if (plain !== undefined) return ok(plain);
    const unsupported = findUnsupportedComponent(raw.message);
    if (unsupported !== undefined) {
      return err({
        code: 'UNSUPPORTED_COMPONENT',
        message: `Message component ${JSON.stringify(unsupported)} is not supported; use one of ${COMPONENT_TYPES.join(', ')}.`,
      });
    }
  }
  const result = clientFrameSchema.safeParse({ ...raw, type });
  return result.success ? ok(result.data) : schemaMismatch(type, result.error);
}

/** Decodes one server frame (for clients). Never throws. */
export function decodeServerFrame(text: string): Result<ServerFrame, DecodeError> {
  const read = readFrame(text, { knownTypes: SERVER_FRAME_TYPES, side: 'server' });
  if (!read.ok) return read;
  const result = serverFrameSchema.safeParse(read.value.raw);
  return result.success ? ok(result.data) : schemaMismatch(read.value.type, result.error);
}

/**
 * The full zod decoders as a client's `frameValidator`: every field, enumeration and message
 * chain checked, as the server checks them. It bundles zod (`zod/mini`, about 10 KB gzip) into
 * a browser build; the SDK's default is the cheap `SHAPE_FRAME_VALIDATOR`.
 */
export const SCHEMA_FRAME_VALIDATOR: FrameValidator = Object.freeze({
  decodeServerFrame,
  checkClientFrame: decodeClientFrame,
});
