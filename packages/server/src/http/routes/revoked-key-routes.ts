import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { BotwireError } from '../../errors/botwire-error.js';
import { validate } from '../../errors/validate.js';
import { success } from '../envelope.js';
import type { HttpDependencies } from '../http-dependencies.js';
import { principalOf } from '../request-context.js';

const idParamsSchema = z.object({ id: z.coerce.number().int().positive() });

/**
 * Removing a revoked API key from the list (admin), so the list does not grow forever. Only a
 * revoked key can go: an active one must be revoked first (which closes its connections).
 */
export function registerRevokedKeyRoutes(
  app: FastifyInstance,
  dependencies: HttpDependencies,
): void {
  const { auth, store, logger } = dependencies;

  app.delete('/api/v1/revoked-keys/:id', async (request) => {
    const principal = principalOf(request);
    auth.authorize(principal, 'admin');
    const { id } = validate(idParamsSchema, request.params, 'API key id');
    const outcome = await store.apiKeys.deleteRevoked(id);
    if (outcome === 'missing') throw new BotwireError('NOT_FOUND', `No API key has id ${id}.`);
    if (outcome === 'active') {
      throw new BotwireError(
        'CONFLICT',
        `API key ${id} is still active; revoke it first (DELETE /api/v1/keys/${id}).`,
      );
    }
    logger.info(
      { audit: 'api_key.delete', by: principal.id, apiKey: id },
      'revoked API key deleted',
    );
    return success({ message: `API key ${id} deleted.` });
  });
}
