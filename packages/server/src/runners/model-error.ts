import { APICallError, RetryError } from 'ai';
import { BotwireError } from '../errors/botwire-error.js';

/** What a model error message may name: never the API key itself. */
export interface ModelErrorContext {
  /** The runner type, e.g. `openai-compatible` or `anthropic`. */
  provider: string;
  model: string;
  baseUrl: string;
  timeoutMs: number;
  /** Whether our own timeout aborted the call. */
  timedOut: boolean;
  /** The pipeline's key, only so it can be scrubbed from provider messages; absent when none. */
  apiKey?: string | null;
}

const MAX_DETAIL_LENGTH = 300;

/** Error codes of a connection that never got an HTTP response. */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
  'ETIMEDOUT',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** Error codes of a connection that dropped while the reply was coming in. */
const CONNECTION_LOST_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);

/** Undici gave up waiting for headers or body (its own limits, not the pipeline's timeout). */
const STALLED_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/** Error `type`/`code` strings providers send inside streams or error bodies. */
const AUTH_TYPES = new Set(['authentication_error', 'permission_error', 'invalid_api_key']);
const NOT_FOUND_TYPES = new Set(['not_found_error', 'model_not_found']);
const RATE_LIMIT_TYPES = new Set(['rate_limit_error', 'rate_limit_exceeded', 'insufficient_quota']);

/**
 * Turns whatever the AI SDK threw or streamed into a BotwireError whose code tells the operator
 * what to fix (key, model name, base URL, quota, timeout). Messages name the provider, model and
 * base URL but never the API key, even when the provider echoes it back.
 */
export function toModelError(error: unknown, context: ModelErrorContext): BotwireError {
  const where = `${context.provider} at ${displayUrl(context.baseUrl)}`;
  const make = (code: ConstructorParameters<typeof BotwireError>[0], message: string) =>
    new BotwireError(code, scrub(message, context.apiKey), { cause: error });

  if (context.timedOut) {
    return make(
      'MODEL_TIMEOUT',
      `The model ${quote(context.model)} (${where}) gave no complete reply within ${context.timeoutMs} ms; raise the pipeline's timeout_ms or use a faster model.`,
    );
  }

  const cause = unwrapRetry(error);
  const detail = providerDetail(cause);
  const withDetail = (text: string) => (detail === undefined ? text : `${text}: ${detail}`);

  // A 2xx status means the failure came later, while reading the streamed body.
  const httpStatus = APICallError.isInstance(cause) ? cause.statusCode : undefined;
  const status = httpStatus !== undefined && httpStatus >= 400 ? httpStatus : undefined;
  const kinds = status === undefined ? errorKinds(cause) : [];
  const kindIn = (set: Set<string>) => kinds.some((kind) => set.has(kind));

  if (status === 401 || status === 403 || kindIn(AUTH_TYPES)) {
    const shown = status ?? 401;
    if (context.apiKey == null || context.apiKey === '') {
      return make(
        'MODEL_AUTH_FAILED',
        `The model provider requires an API key (${shown}) for ${where}; set the pipeline's api_key.`,
      );
    }
    return make(
      'MODEL_AUTH_FAILED',
      `The model provider rejected the API key (${shown}) for ${where}; check the pipeline's api_key.`,
    );
  }
  if (status === 404 || kindIn(NOT_FOUND_TYPES)) {
    return make(
      'MODEL_NOT_FOUND',
      withDetail(
        `The model provider has no model ${quote(context.model)} or no such endpoint (404) at ${displayUrl(context.baseUrl)}; check the pipeline's model and base_url`,
      ),
    );
  }
  if (status === 429 || kindIn(RATE_LIMIT_TYPES)) {
    return make(
      'MODEL_RATE_LIMITED',
      withDetail(
        `The model provider is rate limiting requests or the account is out of quota (429) for ${where}`,
      ),
    );
  }
  if (status !== undefined) {
    return make(
      'MODEL_ERROR',
      withDetail(
        `The model provider answered HTTP ${status} for ${quote(context.model)} (${where})`,
      ),
    );
  }

  const network = findCode(cause);
  if (network !== undefined && STALLED_CODES.has(network)) {
    return make(
      'MODEL_TIMEOUT',
      `The model provider ${where} stopped responding (${network}) before the reply was complete.`,
    );
  }
  if (isConnectFailure(cause) || (network !== undefined && UNREACHABLE_CODES.has(network))) {
    return make(
      'MODEL_UNREACHABLE',
      `Could not reach the model provider ${where}${network === undefined ? '' : ` (${network})`}; check the pipeline's base_url and that the server is running.`,
    );
  }
  if ((network !== undefined && CONNECTION_LOST_CODES.has(network)) || isTerminated(cause)) {
    return make(
      'MODEL_ERROR',
      `The connection to the model provider ${where} closed before the reply was complete${network === undefined ? '' : ` (${network})`}.`,
    );
  }
  return make(
    'MODEL_ERROR',
    withDetail(`The model provider failed to answer with ${quote(context.model)} (${where})`),
  );
}

function unwrapRetry(error: unknown): unknown {
  let current = error;
  for (let depth = 0; depth < 5 && RetryError.isInstance(current); depth += 1) {
    current = current.lastError;
  }
  return current;
}

/** Walks `cause` links (bounded, cycle-safe). */
function* causeChain(error: unknown): Generator<unknown> {
  const seen = new Set<unknown>();
  let current = error;
  for (let depth = 0; depth < 10 && current != null && !seen.has(current); depth += 1) {
    seen.add(current);
    yield current;
    current = typeof current === 'object' && 'cause' in current ? current.cause : undefined;
  }
}

function findCode(error: unknown): string | undefined {
  for (const link of causeChain(error)) {
    if (typeof link === 'object' && link !== null && 'code' in link) {
      if (typeof link.code === 'string' && /^[A-Z][A-Z0-9_]+$/.test(link.code)) return link.code;
    }
  }
  return undefined;
}

/** fetch() rejected before any response: the SDK says "Cannot connect to API", undici "fetch failed". */
function isConnectFailure(error: unknown): boolean {
  for (const link of causeChain(error)) {
    if (!(link instanceof Error)) continue;
    if (link.message.startsWith('Cannot connect to API')) return true;
    if (link instanceof TypeError && /^(fetch failed|failed to fetch)$/i.test(link.message)) {
      return true;
    }
  }
  return false;
}

/** Undici's error for a response body cut off mid-way. */
function isTerminated(error: unknown): boolean {
  for (const link of causeChain(error)) {
    if (link instanceof TypeError && link.message === 'terminated') return true;
  }
  return false;
}

/** The provider's error `type`s and `code`s, from a streamed error object or its `error` field. */
function errorKinds(error: unknown): string[] {
  const kinds: string[] = [];
  for (const candidate of [error, field(error, 'error')]) {
    for (const key of ['type', 'code']) {
      const value = field(candidate, key);
      if (typeof value === 'string') kinds.push(value);
    }
  }
  return kinds;
}

/** The provider's own words about the failure, shortened. */
function providerDetail(error: unknown): string | undefined {
  let text: string | undefined;
  if (error instanceof Error) {
    text = error.message;
  } else if (typeof error === 'string') {
    text = error;
  } else {
    const message = field(error, 'message') ?? field(field(error, 'error'), 'message');
    if (typeof message === 'string') {
      text = message;
    } else if (error !== undefined) {
      try {
        text = JSON.stringify(error);
      } catch {
        text = undefined;
      }
    }
  }
  text = text?.replace(/\s+/g, ' ').trim();
  if (text === undefined || text === '') return undefined;
  return text.length > MAX_DETAIL_LENGTH ? `${text.slice(0, MAX_DETAIL_LENGTH - 1)}…` : text;
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null && key in value
    ? (value as Record<string, unknown>)[key]
    : undefined;
}

/** The URL without any user:password part. */
function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return url;
  }
}

function quote(text: string): string {
  return `"${text}"`;
}

/** Replaces the key (and any long stretch of it) with a placeholder. */
function scrub(message: string, apiKey: string | null | undefined): string {
  if (apiKey == null || apiKey.length < 4) return message;
  let result = message.split(apiKey).join('[redacted]');
  // Providers often echo a prefix of the key ("sk-abc...xyz"); hide any 12+ character piece of it.
  if (apiKey.length >= 12) {
    for (let start = 0; start + 12 <= apiKey.length; start += 1) {
      const piece = apiKey.slice(start, start + 12);
      if (result.includes(piece)) result = result.split(piece).join('[redacted]');
    }
  }
  return result;
}
