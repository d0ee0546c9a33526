import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { BotwireError } from '../errors/botwire-error.js';
import type { Logger } from '../logging/logger.js';
import { failure } from './envelope.js';

/** Maps Fastify's own errors (body parsing, limits) to catalogue codes. */
function fromFastifyError(error: FastifyError): BotwireError {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new BotwireError('BAD_JSON', `The request body is not valid JSON: ${error.message}`);
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new BotwireError(
        'FRAME_TOO_LARGE',
        'The request body is larger than the server accepts.',
      );
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new BotwireError(
        'BAD_REQUEST',
        'Send the body as JSON with Content-Type: application/json.',
      );
    default:
      break;
  }
  if (error instanceof SyntaxError)
    return new BotwireError('BAD_JSON', `The request body is not valid JSON: ${error.message}`);
  if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
    return new BotwireError('BAD_REQUEST', error.message);
  }
  return new BotwireError('INTERNAL_ERROR', undefined, { cause: error });
}

/** Answers every failed request with the error envelope and a matching status. */
export function createErrorHandler(logger: Logger) {
  return (
    error: FastifyError | BotwireError,
    request: FastifyRequest,
    reply: FastifyReply,
  ): FastifyReply => {
    const botwire = error instanceof BotwireError ? error : fromFastifyError(error);
    if (botwire.code === 'INTERNAL_ERROR') {
      logger.error({ err: error, method: request.method, url: request.url }, 'request failed');
    }
    if (botwire.retryAfterSeconds !== undefined) {
      void reply.header('retry-after', String(botwire.retryAfterSeconds));
    }
    return reply.status(botwire.status).send(failure(botwire));
  };
}
