import { IMAGE_MEDIA_TYPES, imageUploadQuerySchema } from '@botwire/protocol';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { resolveConversation } from '../../conversations/conversation-key.js';
import { BotwireError } from '../../errors/botwire-error.js';
import { validate } from '../../errors/validate.js';
import type { ImageService } from '../../images/image-service.js';
import { success } from '../envelope.js';
import { createErrorHandler } from '../error-handler.js';
import type { HttpDependencies } from '../http-dependencies.js';
import { principalOf } from '../request-context.js';
import { registerWidgetImageRoutes, type ImageResponder } from './widget-image-routes.js';

const pipelineParamsSchema = z.object({ uuid: z.string().min(1) });
const imageParamsSchema = z.object({ id: z.string() });

/**
 * What an image is served with: its exact type, never sniffed by the browser, shown inline but
 * unable to run anything even when opened as a page (a sandboxing CSP), cached only by the
 * browser of the one who may read it.
 */
const IMAGE_HEADERS = {
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; sandbox",
  'cache-control': 'private, max-age=3600',
} as const;

const EXTENSIONS: Record<string, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/gif': 'gif',
  'image/webp': 'webp',
};

/** The request body as bytes: the raw-body parser gives a Buffer, an empty body nothing. */
function bodyBytes(request: FastifyRequest): Uint8Array {
  return Buffer.isBuffer(request.body) ? request.body : new Uint8Array(0);
}

/** Fastify's body errors said in terms of an image upload. */
function imageBodyError(error: FastifyError | BotwireError, maxBytes: number) {
  if (error instanceof BotwireError) return error;
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return new BotwireError(
      'IMAGE_TOO_LARGE',
      `The image is larger than the server accepts (${maxBytes} bytes, limits.maxImageBytes). Scale or compress it.`,
    );
  }
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    // An empty Content-Type header: no parser matches, not even '*'.
    return new BotwireError(
      'IMAGE_TYPE_UNSUPPORTED',
      `The upload has no usable Content-Type; send the image bytes with Content-Type set to its type (${IMAGE_MEDIA_TYPES.join(', ')}).`,
    );
  }
  return error;
}

/**
 * Image upload and serving. The upload takes the raw image as the body (its Content-Type the
 * image type) and binds it to the caller's conversation, like the history endpoint resolves it;
 * serving answers only principals who may read that conversation, and 404 to everyone else.
 */
export async function registerImageRoutes(
  app: FastifyInstance,
  dependencies: HttpDependencies & { images: ImageService },
): Promise<void> {
  const { auth, pipelines, images, widgets, config, logger } = dependencies;
  const maxBytes = config.limits.maxImageBytes;
  const handleError = createErrorHandler(logger);
  const refuseOversize = (request: FastifyRequest): BotwireError | undefined => {
    const length = Number(request.headers['content-length'] ?? 0);
    if (!Number.isFinite(length) || length <= maxBytes) return undefined;
    return new BotwireError(
      'IMAGE_TOO_LARGE',
      `The image has ${length} bytes; the server accepts at most ${maxBytes} (limits.maxImageBytes). Scale or compress it.`,
    );
  };

  await app.register((scope: FastifyInstance, _options: unknown, done: () => void) => {
    // This scope alone reads bodies as raw bytes, of any declared type: the content decides.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      '*',
      { parseAs: 'buffer', bodyLimit: maxBytes },
      (_request, body, parsed) => parsed(null, body),
    );
    scope.setErrorHandler((error: FastifyError | BotwireError, request, reply: FastifyReply) => {
      return handleError(imageBodyError(error, maxBytes), request, reply);
    });

    scope.post('/api/v1/pipelines/:uuid/images', {
      // Refused before the body is read when its declared length is already too much.
      onRequest: (request, _reply, next) => next(refuseOversize(request)),
      handler: async (request) => {
        const { uuid } = validate(pipelineParamsSchema, request.params, 'path');
        const principal = principalOf(request);
        auth.authorize(principal, 'chat', uuid);
        await pipelines.get(uuid);
        const query = validate(imageUploadQuerySchema, request.query, 'image upload query');
        const uploaded = await images.upload({
          principal,
          identity: resolveConversation({
            pipelineUuid: uuid,
            sessionType: query.session_type,
            principal,
            session: query.session,
          }),
          declaredType: request.headers['content-type'],
          bytes: bodyBytes(request),
        });
        return success(uploaded);
      },
    });

    scope.get('/api/v1/images/:id', async (request, reply) => {
      const { id } = validate(imageParamsSchema, request.params, 'path');
      const answer = imageResponse(await images.read(principalOf(request), id), id);
      return reply.headers(answer.headers).send(answer.body);
    });
    registerWidgetImageRoutes(scope, {
      images,
      widgets,
      bodyBytes,
      imageResponse,
      refuseOversize,
    });
    done();
  });
}

/** What an image is answered with: {@link IMAGE_HEADERS}, its exact type, inline, its bytes. */
const imageResponse: ImageResponder = (served, id) => {
  const extension = EXTENSIONS[served.record.mediaType] ?? 'bin';
  return {
    headers: {
      ...IMAGE_HEADERS,
      'content-type': served.record.mediaType,
      'content-disposition': `inline; filename="${id}.${extension}"`,
    },
    body: Buffer.from(served.bytes.buffer, served.bytes.byteOffset, served.bytes.byteLength),
  };
};
