import {
  broadcastBodySchema,
  chainToText,
  historyQuerySchema,
  resetQuerySchema,
  sessionTypeSchema,
} from '@botwire/protocol';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { isAdmin } from '../../auth/principal.js';
import { assertMayReset } from '../../auth/reset-policy.js';
import { resolveConversation } from '../../conversations/conversation-key.js';
import { validate } from '../../errors/validate.js';
import { success } from '../envelope.js';
import type { HttpDependencies } from '../http-dependencies.js';
import { principalOf } from '../request-context.js';

const pipelineParamsSchema = z.object({ uuid: z.string().min(1) });
const sessionParamsSchema = pipelineParamsSchema.extend({ sessionType: sessionTypeSchema });

/** The seed's four WebSocket-chat REST endpoints: history, reset, connections, broadcast. */
export function registerChatRoutes(app: FastifyInstance, dependencies: HttpDependencies): void {
  const { auth, pipelines, conversations, cluster } = dependencies;

  const conversationOf = async (
    request: FastifyRequest,
    session: string | undefined,
    purpose: 'read' | 'reset' = 'read',
  ) => {
    const principal = principalOf(request);
    const params = validate(sessionParamsSchema, request.params, 'path');
    auth.authorize(principal, 'chat', params.uuid);
    if (purpose === 'reset') assertMayReset(principal, params.sessionType);
    await pipelines.get(params.uuid);
    return resolveConversation({
      pipelineUuid: params.uuid,
      sessionType: params.sessionType,
      principal,
      session,
    });
  };

  app.get('/api/v1/pipelines/:uuid/ws/messages/:sessionType', async (request) => {
    const query = validate(historyQuerySchema, request.query, 'history query');
    const identity = await conversationOf(request, query.session);
    return success(await conversations.history(identity, query));
  });

  app.post('/api/v1/pipelines/:uuid/ws/reset/:sessionType', async (request) => {
    const query = validate(resetQuerySchema, request.query, 'reset query');
    const identity = await conversationOf(request, query.session, 'reset');
    await conversations.reset(identity);
    return success({
      message: 'Conversation reset: its history and the model context are cleared.',
    });
  });

  app.get('/api/v1/pipelines/:uuid/ws/connections', async (request) => {
    const { uuid } = validate(pipelineParamsSchema, request.params, 'path');
    const principal = principalOf(request);
    auth.authorize(principal, 'chat', uuid);
    await pipelines.get(uuid);
    // Totals are for everyone; who is connected from where only for admins or for oneself.
    const { stats, connections } = await cluster.listConnections(uuid);
    return success({
      stats,
      connections: connections.filter(
        (connection) => isAdmin(principal) || connection.principal.id === principal.id,
      ),
    });
  });

  app.post('/api/v1/pipelines/:uuid/ws/broadcast', async (request) => {
    const { uuid } = validate(pipelineParamsSchema, request.params, 'path');
    auth.authorize(principalOf(request), 'admin');
    await pipelines.get(uuid);
    const body = validate(broadcastBodySchema, request.body, 'broadcast');
    const message = typeof body.message === 'string' ? body.message : chainToText(body.message);
    const sent = await cluster.broadcast(uuid, message);
    return success({ message, sent });
  });
}
