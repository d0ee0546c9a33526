import {
  conversationListQuerySchema,
  conversationMessagesQuerySchema,
  type ConversationSummary,
} from '@botwire/protocol';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  canReadConversation as canSee,
  splitConversationKey as splitKey,
} from '../../conversations/conversation-access.js';
import { BotwireError } from '../../errors/botwire-error.js';
import { validate } from '../../errors/validate.js';
import type { ConversationSummaryRecord } from '../../storage/store.js';
import { success } from '../envelope.js';
import type { HttpDependencies } from '../http-dependencies.js';
import { principalOf } from '../request-context.js';

const pipelineParamsSchema = z.object({ uuid: z.string().min(1) });
const conversationParamsSchema = pipelineParamsSchema.extend({
  id: z.coerce.number().int().positive(),
});

function toSummary(record: ConversationSummaryRecord): ConversationSummary {
  const { owner, session } = splitKey(record.conversation);
  return {
    id: record.conversation.id,
    session_type: record.conversation.sessionType,
    session,
    owner,
    message_count: record.messageCount,
    last_message: record.lastMessage ?? null,
    created_at: record.createdAt,
  };
}

/**
 * The conversations of a pipeline, for the console's conversation browser: the list, and any
 * listed conversation's messages by id (an admin may read person conversations not their own,
 * which the per-principal history endpoint cannot reach).
 */
export function registerConversationRoutes(
  app: FastifyInstance,
  dependencies: HttpDependencies,
): void {
  const { auth, pipelines, store } = dependencies;

  app.get('/api/v1/pipelines/:uuid/conversations', async (request) => {
    const { uuid } = validate(pipelineParamsSchema, request.params, 'path');
    const principal = principalOf(request);
    auth.authorize(principal, 'chat', uuid);
    await pipelines.get(uuid);
    const query = validate(conversationListQuerySchema, request.query, 'conversation list query');
    const records = await store.conversations.listSummaries(uuid);
    const visible = records.filter((record) => canSee(principal, record.conversation));
    return success({ conversations: visible.slice(0, query.limit).map(toSummary) });
  });

  app.get('/api/v1/pipelines/:uuid/conversations/:id/messages', async (request) => {
    const params = validate(conversationParamsSchema, request.params, 'path');
    const principal = principalOf(request);
    auth.authorize(principal, 'chat', params.uuid);
    await pipelines.get(params.uuid);
    const query = validate(conversationMessagesQuerySchema, request.query, 'messages query');
    const found = await store.conversations.findById(params.id);
    // Another pipeline's conversation, or one the principal may not see, does not exist here.
    if (
      found === undefined ||
      found.conversation.pipelineUuid !== params.uuid ||
      !canSee(principal, found.conversation)
    ) {
      throw new BotwireError(
        'NOT_FOUND',
        `Pipeline ${params.uuid} has no conversation ${params.id} that you may read.`,
      );
    }
    const page = await store.messages.listHistory({
      conversationId: found.conversation.id,
      limit: query.limit,
      ...(query.before === undefined ? {} : { before: query.before }),
    });
    const [summary] = await store.conversations.listSummaries(params.uuid, found.conversation.id);
    return success({
      conversation: toSummary(
        summary ?? {
          conversation: found.conversation,
          createdAt: found.createdAt,
          messageCount: page.messages.length,
          lastMessage: page.messages.at(-1),
        },
      ),
      messages: page.messages,
      has_more: page.hasMore,
    });
  });
}
