import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { describePrincipal } from '../../auth/principal.js';
import { BotwireError } from '../../errors/botwire-error.js';
import { validate } from '../../errors/validate.js';
import { success } from '../envelope.js';
import type { HttpDependencies } from '../http-dependencies.js';
import { principalOf } from '../request-context.js';

export { DISCONNECTED_BY_ADMIN } from '../../cluster/cluster-control.js';

const connectionParamsSchema = z.object({ id: z.string().min(1).max(200) });

/**
 * Closing one live connection (admin): for a client that misbehaves or a test that should
 * stop. The socket closes with 1000, which the SDK does not retry, and the act is logged with
 * who did it and whose connection it was. In a cluster the node holding the connection closes
 * it, whichever node got the request.
 */
export function registerConnectionRoutes(
  app: FastifyInstance,
  dependencies: HttpDependencies,
): void {
  const { auth, cluster, logger } = dependencies;

  app.delete('/api/v1/connections/:id', async (request) => {
    const principal = principalOf(request);
    auth.authorize(principal, 'admin');
    const { id } = validate(connectionParamsSchema, request.params, 'path');
    const info = await cluster.disconnect(id);
    if (info === undefined) {
      throw new BotwireError('NOT_FOUND', `No open connection has the id ${id}.`);
    }
    logger.info(
      {
        audit: 'connection.disconnect',
        by: principal.id,
        connection: id,
        pipeline: info.pipeline_uuid,
        owner: info.principal.id,
        ...(info.node_id === undefined ? {} : { node: info.node_id }),
      },
      `${describePrincipal(principal)} disconnected connection ${id}`,
    );
    return success({ message: `Connection ${id} closed.`, connection_id: id });
  });
}
