import { z } from 'zod';

/** The answer of `DELETE /api/v1/connections/<id>` (admin): the connection was closed. */
export const disconnectDataSchema = z.object({
  message: z.string(),
  connection_id: z.string(),
});
export type DisconnectData = z.infer<typeof disconnectDataSchema>;
