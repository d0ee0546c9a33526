import { z } from 'zod';
import { chatMessageSchema, sessionTypeSchema } from './chat-message.js';
import { messageChainSchema } from './components.js';
import { errorCodeSchema } from './error-codes.js';
import { pipelineSchema } from './pipeline-config.js';

/**
 * REST bodies. Every response is wrapped in an envelope: `{code: 0, msg: "ok", data}` on
 * success, `{code: <0, msg, error}` with a matching HTTP status on failure.
 */

export const errorEnvelopeSchema = z.object({
  code: z.number().int().negative(),
  msg: z.string(),
  error: errorCodeSchema,
});
export type ErrorEnvelope = z.infer<typeof errorEnvelopeSchema>;

/** The success envelope around `data`. */
export function successEnvelopeSchema<TData extends z.ZodType>(data: TData) {
  return z.object({ code: z.literal(0), msg: z.literal('ok'), data });
}
export interface SuccessEnvelope<TData> {
  code: 0;
  msg: 'ok';
  data: TData;
}

export const pipelineListSchema = z.object({ pipelines: z.array(pipelineSchema) });
export const pipelineEnvelopeDataSchema = z.object({ pipeline: pipelineSchema });

// ---- WebSocket chat REST -----------------------------------------------------------------

/** `session` selects a named conversation; absent means the default one. */
export const sessionKeySchema = z
  .string()
  .regex(/^[A-Za-z0-9._:-]{1,64}$/, 'session must be 1-64 characters of A-Z a-z 0-9 . _ : -');

export const historyQuerySchema = z.object({
  session: sessionKeySchema.optional(),
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
export type HistoryQuery = z.infer<typeof historyQuerySchema>;

export const historyDataSchema = z.object({
  messages: z.array(chatMessageSchema),
  /** Whether older messages exist before the first one returned. */
  has_more: z.boolean(),
  /** The conversation's newest event seq, to resume a WebSocket from after a reload. */
  last_seq: z.number().int().nonnegative(),
});
export type HistoryData = z.infer<typeof historyDataSchema>;

export const resetQuerySchema = z.object({ session: sessionKeySchema.optional() });
export const resetDataSchema = z.object({ message: z.string() });

export const principalKindSchema = z.enum(['user', 'api_key', 'static_key', 'visitor']);
export type PrincipalKind = z.infer<typeof principalKindSchema>;

export const principalSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: principalKindSchema,
});

export const connectionInfoSchema = z.object({
  connection_id: z.string(),
  pipeline_uuid: z.string(),
  session_type: sessionTypeSchema,
  session: z.string(),
  created_at: z.string(),
  last_active: z.string(),
  is_active: z.boolean(),
  remote_address: z.string(),
  principal: principalSummarySchema,
  /** The node holding the connection (cluster mode; absent from servers before it). */
  node_id: z.string().optional(),
});
export type ConnectionInfo = z.infer<typeof connectionInfoSchema>;

export const connectionStatsSchema = z.object({
  total_connections: z.number().int().nonnegative(),
  connections_by_session_type: z.object({ person: z.number().int(), group: z.number().int() }),
  connections_by_pipeline: z.record(z.string(), z.number().int()),
  /** Connections per kind of principal; widget visitors are `visitor`. */
  connections_by_principal_kind: z.record(z.string(), z.number().int()),
  active_conversations: z.number().int().nonnegative(),
});
export type ConnectionStats = z.infer<typeof connectionStatsSchema>;

export const connectionsDataSchema = z.object({
  stats: connectionStatsSchema,
  connections: z.array(connectionInfoSchema),
});
export type ConnectionsData = z.infer<typeof connectionsDataSchema>;

/** Broadcast a notice: plain text, or a chain whose text is sent. */
export const broadcastBodySchema = z.object({
  message: z.union([z.string().min(1).max(10_000), messageChainSchema]),
});
export type BroadcastBody = z.infer<typeof broadcastBodySchema>;
export const broadcastDataSchema = z.object({
  message: z.string(),
  sent: z.number().int().nonnegative(),
});

// ---- Auth --------------------------------------------------------------------------------

export const roleSchema = z.enum(['admin', 'member']);
export type Role = z.infer<typeof roleSchema>;

export const loginBodySchema = z.object({
  username: z.string().min(1).max(100),
  password: z.string().min(1).max(1_000),
});
export type LoginBody = z.infer<typeof loginBodySchema>;

export const userSchema = z.object({
  id: z.number().int(),
  username: z.string(),
  role: roleSchema,
  created_at: z.string(),
});
export type User = z.infer<typeof userSchema>;

export const loginDataSchema = z.object({
  token: z.string(),
  expires_at: z.string(),
  user: userSchema,
});
export type LoginData = z.infer<typeof loginDataSchema>;

export const principalSchema = z.object({
  id: z.string(),
  name: z.string(),
  /** `visitor`: an anonymous widget visitor, limited to its own conversation on one pipeline. */
  kind: principalKindSchema,
  role: roleSchema,
  /** Pipelines these credentials may use; null means all. */
  pipelines: z.array(z.string()).nullable(),
});
export type PrincipalData = z.infer<typeof principalSchema>;

export const createUserBodySchema = z.object({
  username: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,64}$/, 'username must be 1-64 characters of A-Z a-z 0-9 . _ -'),
  password: z.string().min(8, 'password must be at least 8 characters').max(1_000),
  role: roleSchema.default('member'),
});
export type CreateUserBody = z.input<typeof createUserBodySchema>;

export const changePasswordBodySchema = z.object({
  current_password: z.string().min(1),
  new_password: z.string().min(8, 'password must be at least 8 characters').max(1_000),
});

export const apiKeySchema = z.object({
  id: z.number().int(),
  name: z.string(),
  /** The first characters of the key, to recognise it; the key itself is never shown again. */
  prefix: z.string(),
  role: roleSchema,
  pipelines: z.array(z.string()).nullable(),
  created_at: z.string(),
  last_used_at: z.string().nullable(),
  revoked_at: z.string().nullable(),
  /** When the key stops authenticating (ISO-8601 UTC); null when it never expires. */
  expires_at: z.string().nullable(),
  /** Whether `expires_at` has passed, by the server's clock when the list was made. */
  expired: z.boolean(),
});
export type ApiKey = z.infer<typeof apiKeySchema>;

/** The longest an API key may be made to last: a year (366 days, for leap years). */
export const MAX_API_KEY_LIFETIME_MS = 366 * 24 * 60 * 60 * 1_000;

/**
 * The create-key body, checked against the clock `now` (milliseconds since the epoch): the
 * server passes its own clock, so a key's expiry is judged by the time that will enforce it.
 */
export function createApiKeyBodySchemaAt(now: () => number) {
  return z.object({
    name: z.string().trim().min(1).max(100),
    role: roleSchema.default('member'),
    /** Restrict the key to these pipelines; absent or null means all. */
    pipelines: z.array(z.string().uuid()).min(1).nullable().default(null),
    /**
     * When the key stops working: an ISO-8601 timestamp with a time zone (`Z` or an offset),
     * in the future and at most a year away. Absent or null: it never expires.
     */
    expires_at: z.iso
      .datetime({
        offset: true,
        error:
          'expires_at must be an ISO-8601 timestamp with a time zone, e.g. 2027-01-31T00:00:00Z',
      })
      // NaN (a malformed value, already reported above) passes these, so it is reported once.
      .refine((value) => !(Date.parse(value) <= now()), 'expires_at must be in the future')
      .refine(
        (value) => !(Date.parse(value) > now() + MAX_API_KEY_LIFETIME_MS),
        'expires_at must be at most 366 days away; create a new key when it expires',
      )
      .transform((value) => new Date(value).toISOString())
      .nullable()
      .default(null),
  });
}

/** The create-key body, judged by this machine's clock. */
export const createApiKeyBodySchema = createApiKeyBodySchemaAt(() => Date.now());
export type CreateApiKeyBody = z.input<typeof createApiKeyBodySchema>;

export const createdApiKeyDataSchema = z.object({
  api_key: apiKeySchema,
  /** The secret, shown this one time only. */
  key: z.string(),
});
