/** What tells a visitor's conversation: its owner, the principal `visitor:<visitor id>`. */
const VISITOR_PREFIX = 'visitor:';

/**
 * Whether a conversation belongs to an anonymous visitor of the public widget (owner
 * `visitor:<id>`, key `visitor:<id>#default`). The console shows those read-only: only the
 * visitor may write to or reset its own conversation.
 */
export function isVisitorConversation(conversation: { owner: string | null }): boolean {
  return conversation.owner !== null && conversation.owner.startsWith(VISITOR_PREFIX);
}
