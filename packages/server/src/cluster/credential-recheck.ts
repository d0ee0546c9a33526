import { CLOSE_CODES } from '@botwire/protocol';
import type { AuthService } from '../auth/auth-service.js';
import type { Connection } from '../connections/connection.js';
import type { ConnectionManager } from '../connections/connection-manager.js';
import type { Logger } from '../logging/logger.js';

/** What {@link closeConnectionsWithLostCredentials} reads and closes. */
export interface CredentialRecheckOptions {
  auth: AuthService;
  connections: ConnectionManager;
  logger: Logger;
}

/**
 * Revocations published while a node was cut off from the bus never reached it: checks the
 * credentials of every open connection again, once per credential, and closes the connections
 * whose credentials stopped being valid meanwhile.
 */
export async function closeConnectionsWithLostCredentials(
  options: CredentialRecheckOptions,
): Promise<void> {
  const { auth, connections, logger } = options;
  const byCredential = new Map<string, Connection>();
  for (const connection of connections.list()) {
    byCredential.set(connection.credentialHash, connection);
  }
  const revoked = new Set<string>();
  for (const [credentialHash, connection] of byCredential) {
    if (!(await auth.isCredentialStillValid(connection.principal, credentialHash))) {
      revoked.add(credentialHash);
    }
  }
  if (revoked.size === 0) return;
  const closed = connections.closeMatching(
    (connection) => revoked.has(connection.credentialHash),
    CLOSE_CODES.UNAUTHENTICATED,
    'credentials revoked',
  );
  logger.info({ closed }, 'closed connections whose credentials were revoked meanwhile');
}
