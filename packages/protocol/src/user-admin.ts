import { z } from 'zod';
import { roleSchema } from './rest.js';

/** Body of `PATCH /api/v1/users/<id>/role` (admin). */
export const changeRoleBodySchema = z.object({ role: roleSchema });
export type ChangeRoleBody = z.infer<typeof changeRoleBodySchema>;
