import type { SessionType } from '@botwire/protocol';
import type { Principal } from '../auth/principal.js';
import type { ConversationIdentity } from '../storage/store.js';

/** The session a client asked for; `default` when it named none. */
export const DEFAULT_SESSION = 'default';

/**
 * Which conversation a principal reaches. Person conversations belong to their principal, so
 * `?session=` only selects among the principal's own; group conversations are shared by
 * everyone on the pipeline.
 */
export function resolveConversation(options: {
  pipelineUuid: string;
  sessionType: SessionType;
  principal: Principal;
  session: string | undefined;
}): ConversationIdentity & { session: string } {
  const session = options.session ?? DEFAULT_SESSION;
  const key = options.sessionType === 'person' ? `${options.principal.id}#${session}` : session;
  return { pipelineUuid: options.pipelineUuid, sessionType: options.sessionType, key, session };
}

/** The in-memory key of a conversation, unique across pipelines and session types. */
export function conversationKeyOf(identity: ConversationIdentity): string {
  return `${identity.pipelineUuid}/${identity.sessionType}/${identity.key}`;
}
