import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ErrorCode } from '@botwire/protocol';
import { err, ok, type Result } from '@botwire/protocol';

/** Every visitor token starts with this, so the server tells it from other credentials at once. */
export const VISITOR_TOKEN_PREFIX = 'bw_visitor.';

/** What a visitor token says: which pipeline, which visitor, and when it stops being valid. */
export interface VisitorClaims {
  pipelineUuid: string;
  /** Random, 128 bits: the visitor's conversation is derived from it. */
  visitorId: string;
  /** Seconds since the epoch. */
  issuedAt: number;
  /** Seconds since the epoch. */
  expiresAt: number;
}

/** Why a token was refused, as a catalogue code and a message for the visitor. */
export interface VisitorTokenError {
  code: Extract<ErrorCode, 'VISITOR_TOKEN_INVALID' | 'VISITOR_TOKEN_EXPIRED'>;
  message: string;
}

const MAX_TOKEN_LENGTH = 1_000;
const VISITOR_ID = /^[A-Za-z0-9_-]{22}$/;

/** A new random visitor id (128 bits, base64url). */
export function generateVisitorId(): string {
  return randomBytes(16).toString('base64url');
}

/** Whether `token` is shaped like a visitor token (not whether it is valid). */
export function isVisitorToken(token: string): boolean {
  return token.startsWith(VISITOR_TOKEN_PREFIX);
}

/**
 * Signs and verifies visitor tokens: `bw_visitor.<payload>.<signature>`, the payload base64url
 * JSON of the claims, the signature HMAC-SHA256 over the payload with the server's secret. No
 * database lookup on the hot path; a token cannot be revoked before it expires (tokens are
 * short-lived, and turning the pipeline's widget off refuses them all).
 */
export class VisitorTokenSigner {
  /** The signing key; only for another signer over the same key (a shifted clock). */
  readonly secret: Buffer;
  readonly #now: () => number;

  /** `now` returns milliseconds since the epoch; tests move it. */
  constructor(options: { secret: Buffer; now?: () => number }) {
    if (options.secret.length < 32) throw new Error('The visitor-token secret needs 32 bytes.');
    this.secret = options.secret;
    this.#now = options.now ?? Date.now;
  }

  /** A token for `visitorId` on `pipelineUuid`, valid for `ttlSeconds` from now. */
  sign(options: { pipelineUuid: string; visitorId: string; ttlSeconds: number }): {
    token: string;
    claims: VisitorClaims;
  } {
    const issuedAt = Math.floor(this.#now() / 1_000);
    const claims: VisitorClaims = {
      pipelineUuid: options.pipelineUuid,
      visitorId: options.visitorId,
      issuedAt,
      expiresAt: issuedAt + options.ttlSeconds,
    };
    const payload = Buffer.from(
      JSON.stringify({
        p: claims.pipelineUuid,
        v: claims.visitorId,
        iat: claims.issuedAt,
        exp: claims.expiresAt,
      }),
      'utf8',
    ).toString('base64url');
    return { token: `${VISITOR_TOKEN_PREFIX}${payload}.${this.#signature(payload)}`, claims };
  }

  /** The claims of a genuine, unexpired token; never throws. */
  verify(token: string): Result<VisitorClaims, VisitorTokenError> {
    const invalid = err<VisitorTokenError>({
      code: 'VISITOR_TOKEN_INVALID',
      message:
        'The visitor token is malformed or was altered; clear the widget storage to start over.',
    });
    if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH || !isVisitorToken(token)) {
      return invalid;
    }
    const [payload, signature, ...rest] = token.slice(VISITOR_TOKEN_PREFIX.length).split('.');
    if (payload === undefined || signature === undefined || rest.length > 0) return invalid;
    const expected = Buffer.from(this.#signature(payload), 'utf8');
    const given = Buffer.from(signature, 'utf8');
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return invalid;
    const claims = parseClaims(payload);
    if (claims === undefined) return invalid;
    if (this.#now() >= claims.expiresAt * 1_000) {
      return err({
        code: 'VISITOR_TOKEN_EXPIRED',
        message: `The visitor token expired at ${new Date(claims.expiresAt * 1_000).toISOString()}; ask for a new one.`,
      });
    }
    return ok(claims);
  }

  #signature(payload: string): string {
    return createHmac('sha256', this.secret).update(payload, 'utf8').digest('base64url');
  }
}

function parseClaims(payload: string): VisitorClaims | undefined {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { p, v, iat, exp } = value as Record<string, unknown>;
  if (typeof p !== 'string' || typeof v !== 'string' || !VISITOR_ID.test(v)) return undefined;
  if (!Number.isSafeInteger(iat) || !Number.isSafeInteger(exp)) return undefined;
  return { pipelineUuid: p, visitorId: v, issuedAt: iat as number, expiresAt: exp as number };
}
