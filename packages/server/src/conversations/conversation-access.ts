import { isAdmin, type Principal } from '../auth/principal.js';
import type { StoredConversation } from '../storage/store.js';

/** A person conversation's key is `<principal id>#<session>`; a group's is the session. */
export function splitConversationKey(conversation: StoredConversation): {
  owner: string | null;
  session: string;
} {
  if (conversation.sessionType === 'group') return { owner: null, session: conversation.key };
  const separator = conversation.key.lastIndexOf('#');
  return separator === -1
    ? { owner: conversation.key, session: 'default' }
    : {
        owner: conversation.key.slice(0, separator),
        session: conversation.key.slice(separator + 1),
      };
}

/**
 * Who may read a conversation (its history, its images): an admin every one; anyone else the
 * pipeline's group conversations (shared by everyone on it) and their own person conversations.
 * The caller also checks that the principal may chat on the conversation's pipeline.
 */
export function canReadConversation(
  principal: Principal,
  conversation: StoredConversation,
): boolean {
  if (isAdmin(principal) || conversation.sessionType === 'group') return true;
  return splitConversationKey(conversation).owner === principal.id;
}
