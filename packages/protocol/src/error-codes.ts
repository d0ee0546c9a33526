import * as z from 'zod/mini';

/**
 * The error catalogue. Every error Botwire reports, over REST or WebSocket, carries one of these
 * stable codes. `status` is the HTTP status used on REST; `number` is the negative `code` of the
 * REST envelope. `docs/errors.md` documents each one, and a test keeps the two in step.
 */
export const ERROR_CATALOGUE = {
  BAD_JSON: { number: -1001, status: 400, message: 'The frame or body is not valid JSON.' },
  BAD_FRAME: { number: -1002, status: 400, message: 'The frame does not match the protocol.' },
  UNKNOWN_FRAME_TYPE: {
    number: -1003,
    status: 400,
    message: 'The frame type is not one the server knows.',
  },
  UNSUPPORTED_COMPONENT: {
    number: -1004,
    status: 400,
    message: 'The message chain has a component type the server does not support.',
  },
  FRAME_TOO_LARGE: {
    number: -1005,
    status: 413,
    message: 'The frame or body is larger than the server accepts.',
  },
  BAD_REQUEST: { number: -1006, status: 400, message: 'The request is malformed.' },
  VALIDATION_FAILED: {
    number: -1007,
    status: 400,
    message: 'The request body or query did not validate.',
  },
  URI_TOO_LONG: {
    number: -1008,
    status: 414,
    message: 'The request URL, or one of its path segments, is longer than the server accepts.',
  },
  HEADERS_TOO_LARGE: {
    number: -1009,
    status: 431,
    message: 'The request headers are larger than the server accepts.',
  },
  NOT_AUTHENTICATED: { number: -2001, status: 401, message: 'Credentials are missing.' },
  AUTH_FAILED: { number: -2002, status: 401, message: 'The credentials were rejected.' },
  AUTH_TIMEOUT: {
    number: -2003,
    status: 401,
    message: 'No authenticate frame arrived before the deadline.',
  },
  FORBIDDEN: { number: -2004, status: 403, message: 'These credentials may not do this.' },
  ORIGIN_NOT_ALLOWED: {
    number: -2005,
    status: 403,
    message: 'The browser Origin is not on the allow-list (BOTWIRE_ALLOWED_ORIGINS).',
  },
  LOGIN_THROTTLED: {
    number: -2006,
    status: 429,
    message: 'Too many failed sign-ins; wait for the time in Retry-After.',
  },
  API_KEY_EXPIRED: {
    number: -2007,
    status: 401,
    message: 'The API key has passed its expiry date; create a new key.',
  },
  WIDGET_KEY_INVALID: {
    number: -2008,
    status: 401,
    message: "The widget key is missing or is not this pipeline's current key.",
  },
  PIPELINE_NOT_PUBLIC: {
    number: -2009,
    status: 403,
    message: 'The pipeline is not public: its widget is turned off.',
  },
  VISITOR_TOKEN_INVALID: {
    number: -2010,
    status: 401,
    message: 'The visitor token is malformed or its signature does not match (tampered).',
  },
  VISITOR_TOKEN_EXPIRED: {
    number: -2011,
    status: 401,
    message: 'The visitor token has expired; ask for a new one.',
  },
  VISITOR_TOKEN_WRONG_PIPELINE: {
    number: -2012,
    status: 403,
    message: 'The visitor token was issued for another pipeline.',
  },
  PIPELINE_NOT_FOUND: { number: -3001, status: 404, message: 'No pipeline has this uuid.' },
  NOT_FOUND: { number: -3002, status: 404, message: 'Nothing exists at this address.' },
  CONFLICT: { number: -3003, status: 409, message: 'The request conflicts with existing data.' },
  NOTHING_TO_CANCEL: { number: -3004, status: 409, message: 'No reply is being generated.' },
  RATE_LIMITED: {
    number: -4001,
    status: 429,
    message: 'Too many frames per second on this connection.',
  },
  CONNECTION_LIMIT: { number: -4002, status: 429, message: 'Too many connections.' },
  SLOW_CONSUMER: {
    number: -4003,
    status: 429,
    message: 'The client stopped reading and its send buffer passed the limit.',
  },
  HEARTBEAT_TIMEOUT: {
    number: -4004,
    status: 408,
    message: 'Nothing was heard from the client in time.',
  },
  QUEUE_FULL: {
    number: -4005,
    status: 429,
    message: 'Too many messages are waiting for a reply in this conversation.',
  },
  RUNNER_FAILED: { number: -5001, status: 502, message: "The pipeline's runner failed." },
  MODEL_AUTH_FAILED: {
    number: -5101,
    status: 502,
    message: "The model provider rejected the pipeline's API key (401/403).",
  },
  MODEL_NOT_FOUND: {
    number: -5102,
    status: 502,
    message: 'The model provider does not know the model or the endpoint (404).',
  },
  MODEL_RATE_LIMITED: {
    number: -5103,
    status: 502,
    message: 'The model provider is rate limiting or out of quota (429).',
  },
  MODEL_TIMEOUT: {
    number: -5104,
    status: 504,
    message: 'The model did not finish within the timeout.',
  },
  MODEL_UNREACHABLE: {
    number: -5105,
    status: 502,
    message: "The model provider could not be reached at the pipeline's base URL.",
  },
  MODEL_ERROR: {
    number: -5106,
    status: 502,
    message: 'The model provider answered with an error.',
  },
  MODEL_NOT_CONFIGURED: {
    number: -5107,
    status: 400,
    message: 'The pipeline has no API key for its model runner.',
  },
  INTERNAL_ERROR: {
    number: -5002,
    status: 500,
    message: 'An unexpected error happened on the server.',
  },
  SHUTTING_DOWN: { number: -5003, status: 503, message: 'The server is shutting down.' },
  MESSAGE_TOO_LARGE: {
    number: -4011,
    status: 413,
    message: 'The message text is larger than the server stores (limits.maxMessageBytes).',
  },
  BYTE_RATE_LIMITED: {
    number: -4012,
    status: 429,
    message: 'These credentials sent more message bytes per second than allowed.',
  },
  STORAGE_QUOTA_EXCEEDED: {
    number: -4013,
    status: 403,
    message: 'The stored messages of this principal or pipeline reached their quota.',
  },
  CONVERSATION_LIMIT: {
    number: -4014,
    status: 429,
    message: 'The server holds as many conversations in memory as it may.',
  },
  HISTORY_TOO_LARGE: {
    number: -4015,
    status: 413,
    message: 'One stored message is larger than a history page may carry.',
  },
  IMAGE_TOO_LARGE: {
    number: -4021,
    status: 413,
    message: 'The image is larger than the server accepts (limits.maxImageBytes).',
  },
  IMAGE_TYPE_UNSUPPORTED: {
    number: -1021,
    status: 415,
    message:
      'The upload is not a PNG, JPEG, GIF or WebP image, or its content does not match its Content-Type.',
  },
  IMAGE_NOT_FOUND: {
    number: -3021,
    status: 404,
    message: 'No image with this id belongs to this conversation.',
  },
  IMAGE_URL_NOT_ALLOWED: {
    number: -1022,
    status: 400,
    message: 'The pipeline does not accept images by URL (images.allow_urls).',
  },
  IMAGES_NOT_SUPPORTED: {
    number: -1023,
    status: 400,
    message: "The pipeline's model is not marked as accepting images (runner.settings.vision).",
  },
  VISITOR_IMAGES_DISABLED: {
    number: -2019,
    status: 403,
    message: 'The pipeline does not take images from widget visitors (limits.allow_images).',
  },
  VISITOR_RATE_LIMITED: {
    number: -4016,
    status: 429,
    message: 'This visitor or address sent too much; wait for the time in Retry-After.',
  },
  CONVERSATION_TOO_LONG: {
    number: -4017,
    status: 409,
    message: "The visitor's conversation reached the pipeline's length limit; reset it to go on.",
  },
  DATABASE_UNAVAILABLE: {
    number: -5201,
    status: 503,
    message: 'The database cannot be reached right now; nothing was stored.',
  },
  CLUSTER_UNAVAILABLE: {
    number: -5202,
    status: 503,
    message: 'Redis cannot be reached right now, so the other nodes of the cluster cannot be told.',
  },
} as const satisfies Record<string, { number: number; status: number; message: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export const ERROR_CODES = Object.keys(ERROR_CATALOGUE) as ErrorCode[];

export const errorCodeSchema = z.enum(ERROR_CODES as [ErrorCode, ...ErrorCode[]]);

/** Whether `value` is a code from the catalogue. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CATALOGUE, value);
}
