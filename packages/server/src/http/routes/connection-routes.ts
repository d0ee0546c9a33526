import { CLOSE_CODES } from '@botwire/protocol';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { describePrincipal } from '../../auth/principal.js';
import { BotwireError } from '../../errors/botwire-error.js';
import { validate } from '../../errors/validate.js';
import { success } from '../envelope.js';
import type { HttpDependencies } from '../http-dependencies.js';
import { principalOf } from '../request-context.js';

const connectionParamsSchema = z.object({ id: z.string().min(1).max(200) });

/** The reason the client reads in the close frame (and the SDK reports). */
export const DISCONNECTED_BY_ADMIN = 'disconnected by an admin';

/**
 * Closing one live connection (admin): for a client that misbehaves or a test that should
 * stop. The socket closes with 1000, which the SDK does not retry, and the act is logged with
 * who did it and whose connection it was.
 */
export function registerConnectionRoutes(
  app: FastifyInstance,
  dependencies: HttpDependencies,
): void {
  const { auth, connections, logger } = dependencies;

  app.delete('/api/v1/connections/:id', (request) => {
    const principal = principalOf(request);
    auth.authorize(principal, 'admin');
    const { id } = validate(connectionParamsSchema, request.params, 'path');
    const connection = connections.get(id);
    if (connection === undefined) {
      throw new BotwireError('NOT_FOUND', `No open connection has the id ${id}.`);
    }
    const info = connections.describe(connection);
    logger.info(
      {
        audit: 'connection.disconnect',
        by: principal.id,
        connection: id,
        pipeline: info.pipeline_uuid,
        owner: info.principal.id,
      },
      `${describePrincipal(principal)} disconnected connection ${id}`,
    );
    connection.close(CLOSE_CODES.NORMAL, DISCONNECTED_BY_ADMIN);
    return success({ message: `Connection ${id} closed.`, connection_id: id });
  });
}
