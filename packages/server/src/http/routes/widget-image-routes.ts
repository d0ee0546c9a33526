import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { BotwireError } from '../../errors/botwire-error.js';
import { validate } from '../../errors/validate.js';
import type { ImageService, ServedImage } from '../../images/image-service.js';
import type { WidgetService } from '../../widget/widget-service.js';
import { success } from '../envelope.js';
import { principalOf } from '../request-context.js';
import { visitorConversation } from './widget-routes.js';

const imageParamsSchema = z.object({ id: z.string() });

/** The headers and body an image is answered with. */
export type ImageResponder = (
  served: ServedImage,
  id: string,
) => { headers: Record<string, string>; body: Buffer };

/**
 * The widget's image routes, in the raw-body scope of the image routes: a visitor uploads into
 * its own conversation (when its pipeline allows images, under its per-minute limit) and reads
 * back only that conversation's images. Being under `/api/v1/widget/`, they get the widget's
 * CORS and the per-pipeline Origin check like the other visitor routes.
 */
export function registerWidgetImageRoutes(
  scope: FastifyInstance,
  options: {
    images: ImageService;
    widgets: WidgetService;
    bodyBytes: (request: FastifyRequest) => Uint8Array;
    imageResponse: ImageResponder;
    refuseOversize: (request: FastifyRequest) => BotwireError | undefined;
  },
): void {
  const { images, widgets } = options;

  scope.post('/api/v1/widget/images', {
    config: { visitor: true, widget: true },
    onRequest: (request, _reply, next) => next(options.refuseOversize(request)),
    handler: async (request, reply) => {
      const identity = visitorConversation(request);
      const principal = principalOf(request);
      await widgets.admitImageUpload(principal, identity.pipelineUuid);
      const uploaded = await images.upload({
        principal,
        identity,
        declaredType: request.headers['content-type'],
        bytes: options.bodyBytes(request),
      });
      const url = `/api/v1/widget/images/${uploaded.image_id}`;
      return reply.header('cache-control', 'no-store').send(success({ ...uploaded, url }));
    },
  });

  scope.get(
    '/api/v1/widget/images/:id',
    { config: { visitor: true, widget: true } },
    async (request, reply) => {
      visitorConversation(request);
      const { id } = validate(imageParamsSchema, request.params, 'path');
      const answer = options.imageResponse(await images.read(principalOf(request), id), id);
      return reply.headers(answer.headers).send(answer.body);
    },
  );
}
