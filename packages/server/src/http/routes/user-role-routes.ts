import { changeRoleBodySchema } from '@botwire/protocol';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { validate } from '../../errors/validate.js';
import { success } from '../envelope.js';
import type { HttpDependencies } from '../http-dependencies.js';
import { principalOf } from '../request-context.js';

const idParamsSchema = z.object({ id: z.coerce.number().int().positive() });

/**
 * Changing a console account's role (admin), for the console's users page. The user is signed
 * out everywhere, so the new rights hold from their next sign-in; the last admin stays one.
 */
export function registerUserRoleRoutes(app: FastifyInstance, dependencies: HttpDependencies): void {
  const { auth } = dependencies;

  app.patch('/api/v1/users/:id/role', async (request) => {
    auth.authorize(principalOf(request), 'admin');
    const { id } = validate(idParamsSchema, request.params, 'user id');
    const { role } = validate(changeRoleBodySchema, request.body, 'role change');
    return success({ user: await auth.changeUserRole(id, role) });
  });
}
