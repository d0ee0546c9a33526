import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { BotwireError } from '../errors/botwire-error.js';
import { failure } from './envelope.js';

/**
 * Refusals Fastify's router makes before any route or hook runs (a path segment over the
 * router's length limit, a malformed percent-escape), in the error envelope like every other
 * error. Pass as Fastify's `frameworkErrors` option.
 */
export function answerFrameworkError(
  error: FastifyError,
  _request: FastifyRequest,
  reply: FastifyReply,
): void {
  const botwire =
    error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? new BotwireError(
          'URI_TOO_LONG',
          'A path segment of the URL is longer than the server accepts (100 characters); check the address.',
        )
      : new BotwireError(
          'BAD_REQUEST',
          'The URL is malformed (an invalid percent-escape); encode the path correctly.',
        );
  void reply.status(botwire.status).send(failure(botwire));
}

function rawResponse(error: BotwireError): string {
  const body = JSON.stringify(failure(error));
  const reason = error.status === 431 ? 'Request Header Fields Too Large' : 'Bad Request';
  return [
    `HTTP/1.1 ${error.status} ${reason}`,
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
    '',
    body,
  ].join('\r\n');
}

/**
 * Errors Node's HTTP parser raises before Fastify sees a request (headers over the size limit,
 * unparsable requests): answered on the raw socket in the error envelope, then the socket is
 * closed. Pass as Fastify's `clientErrorHandler` option.
 */
export function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  // A reset or timed-out socket has nobody to answer (Node's request timeout answers 408 itself).
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    socket.destroy(error);
    return;
  }
  const botwire =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? new BotwireError(
          'HEADERS_TOO_LARGE',
          'The request headers are larger than the server accepts (16 KiB); clear cookies or shorten the headers.',
        )
      : new BotwireError('BAD_REQUEST', 'The HTTP request could not be parsed.');
  if (socket.writable) socket.write(rawResponse(botwire));
  socket.destroy(error);
}
