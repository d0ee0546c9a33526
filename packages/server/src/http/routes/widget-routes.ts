import { historyQuerySchema } from '@botwire/protocol';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { BotwireError } from '../../errors/botwire-error.js';
import { validate } from '../../errors/validate.js';
import { resolveConversation } from '../../conversations/conversation-key.js';
import { success } from '../envelope.js';
import type { HttpDependencies } from '../http-dependencies.js';
import { principalOf } from '../request-context.js';

const pipelineParamsSchema = z.object({ uuid: z.string().min(1) });
/** A visitor has one conversation; the history query takes no `session`. */
const visitorHistoryQuerySchema = historyQuerySchema.omit({ session: true }).strict();

/** The visitor's own person conversation: the only one a visitor token reaches. */
export function visitorConversation(request: FastifyRequest) {
  const principal = principalOf(request);
  const pipelineUuid = principal.kind === 'visitor' ? principal.pipelines?.[0] : undefined;
  if (pipelineUuid === undefined) {
    throw new BotwireError(
      'FORBIDDEN',
      'This route is for widget visitors: send the visitor token from POST /api/v1/widget/visitors.',
    );
  }
  return resolveConversation({
    pipelineUuid,
    sessionType: 'person',
    principal,
    session: undefined,
  });
}

/**
 * The public widget's REST surface. Admin routes manage a pipeline's public settings; the
 * `/api/v1/widget/` routes are the widget's own: one public (a visitor token for a page on an
 * allowed origin) and two a visitor token opens (its history, its reset). Their Origin is checked
 * against the pipeline's allowed origins rather than the server's (`config.widget`).
 */
export function registerWidgetRoutes(app: FastifyInstance, dependencies: HttpDependencies): void {
  const { auth, widgets, conversations } = dependencies;

  app.get('/api/v1/pipelines/:uuid/widget', async (request) => {
    auth.authorize(principalOf(request), 'admin');
    const { uuid } = validate(pipelineParamsSchema, request.params, 'path');
    return success({ widget: await widgets.getSettings(uuid) });
  });

  app.patch('/api/v1/pipelines/:uuid/widget', async (request) => {
    auth.authorize(principalOf(request), 'admin');
    const { uuid } = validate(pipelineParamsSchema, request.params, 'path');
    return success({ widget: await widgets.updateSettings(uuid, request.body) });
  });

  app.post('/api/v1/pipelines/:uuid/widget/rotate-key', async (request) => {
    auth.authorize(principalOf(request), 'admin');
    const { uuid } = validate(pipelineParamsSchema, request.params, 'path');
    return success({ widget: await widgets.rotateKey(uuid) });
  });

  app.post(
    '/api/v1/widget/visitors',
    { config: { public: true, widget: true } },
    async (request, reply) => {
      const data = await widgets.issueVisitorToken(request.body, {
        origin: request.headers.origin,
        host: request.headers.host,
        remoteAddress: request.ip,
      });
      // A token is a credential: no cache may keep it.
      return reply.header('cache-control', 'no-store').status(201).send(success(data));
    },
  );

  app.get(
    '/api/v1/widget/messages',
    { config: { visitor: true, widget: true } },
    async (request, reply) => {
      const query = validate(visitorHistoryQuerySchema, request.query, 'history query');
      const identity = visitorConversation(request);
      const history = await conversations.history(identity, query);
      return reply.header('cache-control', 'no-store').send(success(history));
    },
  );

  app.post('/api/v1/widget/reset', { config: { visitor: true, widget: true } }, async (request) => {
    const identity = visitorConversation(request);
    await conversations.reset(identity);
    return success({ message: 'Conversation reset: a new one starts.' });
  });
}
