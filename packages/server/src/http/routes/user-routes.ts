import type { FastifyInstance } from 'fastify';
import { createUserBodySchema } from '@botwire/protocol';
import { z } from 'zod';
import { validate } from '../../errors/validate.js';
import { success } from '../envelope.js';
import type { HttpDependencies } from '../http-dependencies.js';
import { principalOf } from '../request-context.js';

const idParamsSchema = z.object({ id: z.coerce.number().int().positive() });

/** Console accounts (admin only). */
export function registerUserRoutes(app: FastifyInstance, dependencies: HttpDependencies): void {
  const { auth } = dependencies;

  app.get('/api/v1/users', async (request) => {
    auth.authorize(principalOf(request), 'admin');
    return success({ users: await auth.listUsers() });
  });

  app.post('/api/v1/users', async (request, reply) => {
    auth.authorize(principalOf(request), 'admin');
    const user = await auth.createUser(validate(createUserBodySchema, request.body, 'user'));
    return reply.status(201).send(success({ user }));
  });

  app.delete('/api/v1/users/:id', async (request) => {
    auth.authorize(principalOf(request), 'admin');
    const { id } = validate(idParamsSchema, request.params, 'user id');
    await auth.deleteUser(id);
    return success({ message: `User ${id} deleted.` });
  });
}
