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
 * Decodes one client frame. Never throws: malformed JSON, an unknown type, an unsupported
 * component or a schema mismatch each come back as a {@link DecodeError} with its own code.
 * A frame without `type` is a `message`, as in the original protocol.
 */
export function decodeClientFrame(text: string): Result<ClientFrame, DecodeError> {
  const parsed = parseJson(text);
  if (!parsed.ok) return parsed;
  const raw = parsed.value;
  if (!isRecord(raw)) {
    return err({
      code: 'BAD_FRAME',
      message: 'A frame must be a JSON object with a "type" field.',
    });
  }
  const type = raw.type ?? 'message';
  const knownTypes: readonly unknown[] = CLIENT_FRAME_TYPES;
  if (!knownTypes.includes(type)) {
    return err({
      code: 'UNKNOWN_FRAME_TYPE',
      message: `Unknown frame type ${JSON.stringify(type)}; expected one of ${CLIENT_FRAME_TYPES.join(', ')}.`,
    });
  }
  const frame = { ...raw, type };
  if (type === 'message') {
    const unsupported = findUnsupportedComponent(raw.message);
    if (unsupported !== undefined) {
      return err({
        code: 'UNSUPPORTED_COMPONENT',
        message: `Message component ${JSON.stringify(unsupported)} is not supported; use one of ${COMPONENT_TYPES.join(', ')}.`,
      });
    }
  }
  const result = clientFrameSchema.safeParse(frame);
  if (!result.success) {
    return err({
      code: 'BAD_FRAME',
      message: `Invalid ${JSON.stringify(type)} frame: ${describeIssues(result.error)}.`,
    });
  }
  return ok(result.data);
}

/** Decodes one server frame (for clients). Never throws. */
export function decodeServerFrame(text: string): Result<ServerFrame, DecodeError> {
  const parsed = parseJson(text);
  if (!parsed.ok) return parsed;
  const raw = parsed.value;
  if (!isRecord(raw)) {
    return err({
      code: 'BAD_FRAME',
      message: 'A frame must be a JSON object with a "type" field.',
    });
  }
  const knownTypes: readonly unknown[] = SERVER_FRAME_TYPES;
  if (!knownTypes.includes(raw.type)) {
    return err({
      code: 'UNKNOWN_FRAME_TYPE',
      message: `Unknown server frame type ${JSON.stringify(raw.type)}.`,
    });
  }
  const result = serverFrameSchema.safeParse(raw);
  if (!result.success) {
    return err({
      code: 'BAD_FRAME',
      message: `Invalid ${JSON.stringify(raw.type)} frame: ${describeIssues(result.error)}.`,
    });
  }
  return ok(result.data);
}

/** Encodes a frame for the wire. */
export function encodeFrame(frame: ServerFrame | ClientFrameInput): string {
  return JSON.stringify(frame);
}
