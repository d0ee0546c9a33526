import type { FastifyInstance } from 'fastify';
import { createApiKeyBodySchema } from '@botwire/protocol';
import { z } from 'zod';
import { validate } from '../../errors/validate.js';
import { success } from '../envelope.js';
import type { HttpDependencies } from '../http-dependencies.js';
import { principalOf } from '../request-context.js';

const idParamsSchema = z.object({ id: z.coerce.number().int().positive() });

/** API keys: create (the secret is shown once), list, revoke. */
export function registerApiKeyRoutes(app: FastifyInstance, dependencies: HttpDependencies): void {
  const { auth } = dependencies;

  app.get('/api/v1/keys', async (request) => {
    auth.authorize(principalOf(request), 'admin');
    return success({ api_keys: await auth.listApiKeys() });
  });

  app.post('/api/v1/keys', async (request, reply) => {
    const principal = principalOf(request);
    auth.authorize(principal, 'admin');
    const created = await auth.createApiKey(
      principal,
      validate(createApiKeyBodySchema, request.body, 'API key'),
    );
    return reply.status(201).send(success(created));
  });

  app.delete('/api/v1/keys/:id', async (request) => {
    auth.authorize(principalOf(request), 'admin');
    const { id } = validate(idParamsSchema, request.params, 'API key id');
    await auth.revokeApiKey(id);
    return success({ message: `API key ${id} revoked.` });
  });
}
