import type { SessionType } from '@botwire/protocol';
import { BotwireError } from '../errors/botwire-error.js';
import { describePrincipal, isAdmin, type Principal } from './principal.js';

/**
 * Who may reset a conversation (documented in docs/websocket.md, reset endpoint). A `person`
 * conversation belongs to its principal, who may always reset it. A `group` conversation is
 * shared by everyone on the pipeline, and a reset deletes its history for all of them, so only
 * an admin may do it. Every way of resetting (today the REST route) goes through here.
 */
export function assertMayReset(principal: Principal, sessionType: SessionType): void {
  if (sessionType === 'group' && !isAdmin(principal)) {
    throw new BotwireError(
      'FORBIDDEN',
      `Only an admin can reset a group conversation: it is shared by everyone on the pipeline, and ${describePrincipal(principal)} is a member. Members may reset their own person conversations.`,
    );
  }
}
