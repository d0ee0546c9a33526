import { CLOSE_CODES } from '@botwire/protocol';
import type { Revocation } from '../auth/auth-service.js';
import type { Logger } from '../logging/logger.js';
import type { ConnectionManager } from './connection-manager.js';

/**
 * Closes this node's connections made with revoked credentials (`4001`): those of one token, or
 * every one of a principal but the session it keeps. An expired key's connections are told why
 * first. Returns how many were closed.
 */
export function closeRevokedConnections(options: {
  connections: ConnectionManager;
  revocation: Revocation;
  logger: Logger;
}): number {
  const { connections, revocation, logger } = options;
  const error = 'error' in revocation ? revocation.error : undefined;
  const closed = connections.closeMatching(
    (connection) => {
      const matches =
        'tokenHash' in revocation
          ? connection.credentialHash === revocation.tokenHash
          : connection.principal.id === revocation.principalId &&
            connection.credentialHash !== revocation.exceptTokenHash;
      // Told why before the close frame: close() flushes what was queued first.
      if (matches && error !== undefined) connection.sendError(error.code, error.message);
      return matches;
    },
    CLOSE_CODES.UNAUTHENTICATED,
    error?.code === 'API_KEY_EXPIRED' ? 'API key expired' : 'credentials revoked',
  );
  if (closed > 0) {
    logger.info(
      { closed, reason: error?.code ?? 'revoked' },
      'closed connections whose credentials were revoked or expired',
    );
  }
  return closed;
}
