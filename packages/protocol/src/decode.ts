import type { z } from 'zod';
import { COMPONENT_TYPES } from './components.js';
import {
  CLIENT_FRAME_TYPES,
  clientFrameSchema,
  type ClientFrame,
  type ClientFrameInput,
} from './client-frames.js';
import type { ErrorCode } from './error-codes.js';
import { err, ok, type Result } from './result.js';
import { SERVER_FRAME_TYPES, serverFrameSchema, type ServerFrame } from './server-frames.js';

/** Why a frame could not be decoded; `code` is from the error catalogue. */
export interface DecodeError {
  code: Extract<
    ErrorCode,
    'BAD_JSON' | 'BAD_FRAME' | 'UNKNOWN_FRAME_TYPE' | 'UNSUPPORTED_COMPONENT'
  >;
  message: string;
}

/** Parses JSON without throwing. Every JSON text Botwire reads goes through here. */
export function parseJson(text: string): Result<unknown, DecodeError> {
  try {
    return ok(JSON.parse(text) as unknown);
  } catch (error) {
    const reason = error instanceof SyntaxError ? error.message : 'unreadable';
    return err({ code: 'BAD_JSON', message: `The frame is not valid JSON (${reason}).` });
  }
}

/** Formats zod issues as `path: message; ...` so an error frame says exactly what was wrong. */
export function describeIssues(error: z.ZodError): string {
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

function findUnsupportedComponent(chain: unknown): string | undefined {
  if (!Array.isArray(chain)) return undefined;
  const known: readonly string[] = COMPONENT_TYPES;
  for (const component of chain) {
    if (
      isRecord(component) &&
      typeof component.type === 'string' &&
      !known.includes(component.type)
    ) {
      return component.type;
    }
  }
  return undefined;
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

function schemaMismatch(type: string, error: z.ZodError): { ok: false; error: DecodeError } {
  return err({
    code: 'BAD_FRAME',
    message: `Invalid ${JSON.stringify(type)} frame: ${describeIssues(error)}.`,
  });
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

/** Encodes a frame for the wire. */
export function encodeFrame(frame: ServerFrame | ClientFrameInput): string {
  return JSON.stringify(frame);
}
