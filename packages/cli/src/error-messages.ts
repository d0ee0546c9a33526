import { BotwireClientError } from '@botwire/client';
import { UsageError } from './exit-codes.js';

/** What the command was doing, so a message can say where and what to try. */
export interface ErrorContext {
  /** The server's base URL. */
  url: string;
  /** The pipeline the command was about, if any. */
  pipeline?: string;
  /** Said after `NOT_FOUND`, e.g. `list keys with: botwire keys list`. */
  notFoundHint?: string;
}

const API_KEY_HINT = 'pass --api-key or set BOTWIRE_API_KEY';

/**
 * One line that says what went wrong and what to do about it. {@link BotwireClientError}s are
 * mapped by `code` (and `status`); anything else is shown by its message.
 */
export function describeError(error: unknown, context: ErrorContext): string {
  if (error instanceof UsageError) return error.message;
  if (!(error instanceof BotwireClientError)) {
    return error instanceof Error ? error.message : String(error);
  }
  const { url, pipeline } = context;
  const detail = error.message;
  const pipelineText = pipeline === undefined ? 'pipeline' : `pipeline ${pipeline}`;
  switch (error.code) {
    case 'NETWORK_ERROR':
      return describeNetworkError(error, url);
    case 'AUTH_FAILED':
      return `401: API key rejected, ${API_KEY_HINT}`;
    case 'NOT_AUTHENTICATED':
      return `401: no API key given, ${API_KEY_HINT}`;
    case 'API_KEY_EXPIRED':
      return `401 API_KEY_EXPIRED: ${detail}`;
    case 'AUTH_TIMEOUT':
      return `401: the server did not get the API key in time, ${API_KEY_HINT}`;
    case 'FORBIDDEN':
      return `403: this API key may not do that${pipeline === undefined ? '' : ` on ${pipelineText}`} (${trimDot(detail)}); use an admin key, or one allowed on the pipeline (botwire keys create --role admin)`;
    case 'ORIGIN_NOT_ALLOWED':
      return `403: ${trimDot(detail)}; add the origin to BOTWIRE_ALLOWED_ORIGINS on the server`;
    case 'PIPELINE_NOT_FOUND':
      return `PIPELINE_NOT_FOUND: there is no ${pipelineText} at ${url}; list pipelines with: botwire pipelines list`;
    case 'NOT_FOUND':
      return `NOT_FOUND: ${trimDot(detail)}${context.notFoundHint === undefined ? '' : `; ${context.notFoundHint}`}`;
    case 'BAD_RESPONSE':
      return `${url} did not answer like a Botwire server (${trimDot(detail)}); check --url or BOTWIRE_URL`;
    case 'CONNECTION_LIMIT':
      return `CONNECTION_LIMIT: ${trimDot(detail)}; use fewer connections or raise the server's limits`;
    case 'CONNECTION_CLOSED':
      return `The connection to ${url} closed: ${detail}`;
    case 'NO_WEBSOCKET':
      return `NO_WEBSOCKET: ${detail}`;
    case 'TOKEN_UNAVAILABLE':
      return `TOKEN_UNAVAILABLE: ${detail}`;
    case 'RUNNER_FAILED':
    case 'MODEL_AUTH_FAILED':
    case 'MODEL_NOT_FOUND':
    case 'MODEL_RATE_LIMITED':
    case 'MODEL_TIMEOUT':
    case 'MODEL_UNREACHABLE':
    case 'MODEL_ERROR':
    case 'MODEL_NOT_CONFIGURED':
      return `${error.code}: ${trimDot(detail)}; check the pipeline's model with: botwire pipelines show ${pipeline ?? '<uuid>'}`;
    case 'BAD_JSON':
    case 'BAD_FRAME':
    case 'UNKNOWN_FRAME_TYPE':
    case 'UNSUPPORTED_COMPONENT':
    case 'FRAME_TOO_LARGE':
    case 'BAD_REQUEST':
    case 'VALIDATION_FAILED':
    case 'URI_TOO_LONG':
    case 'HEADERS_TOO_LARGE':
    case 'LOGIN_THROTTLED':
    case 'CONFLICT':
    case 'NOTHING_TO_CANCEL':
    case 'RATE_LIMITED':
    case 'SLOW_CONSUMER':
    case 'HEARTBEAT_TIMEOUT':
    case 'QUEUE_FULL':
    case 'INTERNAL_ERROR':
    case 'SHUTTING_DOWN':
    case 'DATABASE_UNAVAILABLE':
    case 'CLUSTER_UNAVAILABLE':
    case 'OUTBOX_FULL':
    case 'NOT_CONNECTED':
    case 'MESSAGE_TOO_LARGE':
    case 'BYTE_RATE_LIMITED':
    case 'STORAGE_QUOTA_EXCEEDED':
    case 'CONVERSATION_LIMIT':
    case 'HISTORY_TOO_LARGE':
    case 'IMAGE_TOO_LARGE':
    case 'IMAGE_TYPE_UNSUPPORTED':
    case 'IMAGE_NOT_FOUND':
    case 'IMAGE_URL_NOT_ALLOWED':
    case 'IMAGES_NOT_SUPPORTED':
    case 'WIDGET_KEY_INVALID':
    case 'PIPELINE_NOT_PUBLIC':
    case 'VISITOR_TOKEN_INVALID':
    case 'VISITOR_TOKEN_EXPIRED':
    case 'VISITOR_TOKEN_WRONG_PIPELINE':
    case 'VISITOR_IMAGES_DISABLED':
    case 'VISITOR_RATE_LIMITED':
    case 'CONVERSATION_TOO_LONG':
      // The server's (or the SDK's) own message says what to do.
      if (error.status === 401) return `401: ${trimDot(detail)}, ${API_KEY_HINT}`;
      return `${error.code}: ${detail}`;
  }
}

/** System error codes of a failed name lookup (getaddrinfo). */
const DNS_FAILURE_CODES: ReadonlySet<string> = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL']);

/** The first system error `code` (`ECONNREFUSED`, `ENOTFOUND`...) along `error`'s cause chain. */
export function systemErrorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth += 1) {
    const { code, cause } = current as { code?: unknown; cause?: unknown };
    if (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) return code;
    current = cause;
  }
  return undefined;
}

/**
 * Why the server could not be reached: a host name that does not resolve is a typo or a DNS
 * problem, not a stopped server, and saying "is it running?" would send the user the wrong way.
 */
function describeNetworkError(error: BotwireClientError, url: string): string {
  const code = systemErrorCode(error);
  if (code !== undefined && DNS_FAILURE_CODES.has(code)) {
    return `Cannot resolve the host of ${url} (DNS lookup failed: ${code}); check the host name in --url or BOTWIRE_URL`;
  }
  if (code === 'ECONNREFUSED') {
    return `Cannot reach Botwire at ${url}: connection refused; is it running? (botwire serve)`;
  }
  return `Cannot reach Botwire at ${url}${code === undefined ? '' : ` (${code})`}: is it running? (botwire serve)`;
}

function trimDot(text: string): string {
  return text.replace(/\.\s*$/, '');
}
