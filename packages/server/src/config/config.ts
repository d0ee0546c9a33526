import { z } from 'zod';

const duration = z.number().int().min(0);

/** Every setting with its default. Sources override it in order: file, environment, flags. */
// Strict objects: a misspelled key in a config file is an error at start, not a silent default.
export const configSchema = z.strictObject({
  /** Interface to listen on. Use 0.0.0.0 to accept connections from other machines. */
  host: z.string().min(1).default('127.0.0.1'),
  /** Port for REST, WebSocket and console; 0 picks a free one. */
  port: z.number().int().min(0).max(65_535).default(8000),
  /** Where the SQLite database lives. */
  dataDir: z.string().min(1).default('./data'),
  /** SQLite file name inside `dataDir`, or `:memory:`. */
  databaseFile: z.string().min(1).default('botwire.sqlite'),
  /**
   * PostgreSQL instead of the SQLite file: `postgres://user:password@host:5432/database`. The
   * database must exist; Botwire creates its tables in it.
   */
  databaseUrl: z
    .string()
    .refine(
      (value) => /^postgres(ql)?:\/\/./.test(value),
      'must be a PostgreSQL URL: postgres://user:password@host:5432/database',
    )
    .optional(),
  /** Connections to PostgreSQL this process opens at most. */
  databasePoolSize: z.number().int().min(1).max(1_000).default(10),
  /**
   * Cluster mode: several nodes share this Redis (`redis://[:password@]host:6379[/db]`, or
   * `rediss://` for TLS) for revocations, pipeline changes, broadcast and connection listings.
   * Requires `databaseUrl` (PostgreSQL). Absent: one node, everything in process.
   */
  redisUrl: z
    .string()
    .refine(
      (value) => /^rediss?:\/\/./.test(value),
      'must be a Redis URL: redis://host:6379 (or rediss:// for TLS)',
    )
    .optional(),
  /** This node's id in the cluster; generated (`<hostname>-<pid>-<random>`) when absent. */
  nodeId: z
    .string()
    .regex(/^[A-Za-z0-9._:-]{1,100}$/, 'must be 1-100 letters, digits, ".", "_", ":" or "-"')
    .optional(),
  /** Prefix of every Redis key and channel, so several clusters (or tests) share one Redis. */
  redisPrefix: z
    .string()
    .regex(/^[A-Za-z0-9._:{}-]{1,100}$/, 'must be 1-100 letters, digits or ". _ : { } -"')
    .default('botwire:'),
  /**
   * Cluster mode: how long a node's claim on generating a conversation's replies (its lease in
   * Redis) lasts without renewal. A node renews its leases three times per period; when it dies,
   * another node takes its conversations over (and ends their replies in progress as
   * `interrupted`) within about this long plus one second.
   */
  generationLeaseMs: z.number().int().min(1_000).max(600_000).default(5_000),
  /**
   * The built web console served at `/`; the monorepo's `packages/web/dist` when absent. A
   * missing directory only turns the console off.
   */
  consoleDir: z.string().min(1).optional(),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  auth: z
    .strictObject({
      /** Username of the admin created on first start. */
      adminUsername: z.string().min(1).default('admin'),
      /** Password of that admin; generated and printed once when absent. */
      adminPassword: z
        .string()
        .min(8, 'the admin password must be at least 8 characters')
        .optional(),
      /** Static API keys (admin rights) for automation. */
      apiKeys: z
        .array(z.string().min(16, 'a static API key must be at least 16 characters'))
        .default([]),
      /** Browser Origins allowed besides the server's own (e.g. https://chat.example.com). */
      allowedOrigins: z.array(z.string().url()).default([]),
      sessionTtlHours: z
        .number()
        .int()
        .min(1)
        .default(24 * 7),
      /** How long a WebSocket may wait before sending its `authenticate` frame. */
      authenticateTimeoutMs: duration.default(10_000),
      /** Mark the session cookie Secure (set when serving over HTTPS). */
      secureCookie: z.boolean().default(false),
    })
    .prefault({}),
  websocket: z
    .strictObject({
      heartbeatIntervalMs: z.number().int().min(100).default(30_000),
      /** Close connections silent for longer than this. */
      heartbeatTimeoutMs: z.number().int().min(200).default(75_000),
      /** Largest frame processed; larger ones get a FRAME_TOO_LARGE error frame. */
      maxFrameBytes: z.number().int().min(1_024).default(1_048_576),
      /** Sustained frames per second per connection (bursts of twice this are allowed). */
      maxFramesPerSecond: z.number().int().min(1).default(20),
      /** Close a connection whose unsent data passes this many bytes (it stopped reading). */
      maxSendBufferBytes: z
        .number()
        .int()
        .min(1_024)
        .default(8 * 1_048_576),
      maxConnections: z.number().int().min(1).default(60_000),
      maxConnectionsPerPrincipal: z.number().int().min(1).default(1_000),
      /** Events kept per conversation for resuming with `last_seq`. */
      replayWindow: z.number().int().min(1).default(1_000),
      /** Messages that may wait behind the reply being generated in one conversation. */
      maxQueuedMessages: z.number().int().min(1).default(20),
      /** Sockets upgraded but not yet authenticated, in total; more are answered with HTTP 503. */
      maxPendingConnections: z.number().int().min(1).default(1_024),
      /** Sockets not yet authenticated from one remote address. */
      maxPendingPerAddress: z.number().int().min(1).default(256),
      /** Bytes a socket may send before it is authenticated: an `authenticate` frame and a little. */
      maxPreAuthBytes: z.number().int().min(1_024).default(16_384),
      /** Bytes of events each conversation keeps for resuming, besides the `replayWindow` count. */
      replayBudgetBytes: z
        .number()
        .int()
        .min(1_024)
        .default(4 * 1_048_576),
      /** Bytes of replay events all conversations of the process keep together; oldest go first. */
      replayTotalBytes: z
        .number()
        .int()
        .min(1_024)
        .default(256 * 1_048_576),
    })
    .prefault({}),
  /**
   * The model the default pipeline uses when it is created at first start. Without a key or
   * base URL it uses the echo runner.
   */
  defaultModel: z
    .strictObject({
      /** OpenAI or any OpenAI-compatible endpoint (OPENAI_API_KEY, OPENAI_BASE_URL). */
      openaiApiKey: z.string().min(1).optional(),
      openaiBaseUrl: z.string().url().optional(),
      /** Anthropic, used when no OpenAI setting is given (ANTHROPIC_API_KEY). */
      anthropicApiKey: z.string().min(1).optional(),
      /** Model name (BOTWIRE_MODEL); a small current model of the provider when absent. */
      model: z.string().min(1).optional(),
    })
    .prefault({}),
  /**
   * What one principal or pipeline may make the server store and hold. Sizes of messages are the
   * UTF-8 bytes of their text content plus their message chain as stored (JSON).
   */
  limits: z
    .strictObject({
      /** Largest user message stored, in bytes (content plus chain). */
      maxMessageBytes: z.number().int().min(1_024).default(262_144),
      /** Sustained message bytes per second per principal, all its connections together. */
      principalBytesPerSecond: z.number().int().min(1_024).default(262_144),
      /** Bytes of stored user messages one principal may have sent. */
      principalQuotaBytes: z.number().int().min(1_024).default(1_073_741_824),
      /** Bytes of stored user messages one pipeline may hold. */
      pipelineQuotaBytes: z.number().int().min(1_024).default(10_737_418_240),
      /**
       * Largest uploaded image, in bytes. Images count toward the principal and pipeline quotas
       * like message bytes.
       */
      maxImageBytes: z
        .number()
        .int()
        .min(1_024)
        .default(5 * 1_048_576),
      /**
       * How long an uploaded image no message carried is kept before it is deleted (its bytes
       * and quota given back): an upload that was never sent must not hold space for ever.
       */
      unattachedImageTtlMs: z.number().int().min(60_000).default(86_400_000),
      /** Conversations held in memory at once (their replay buffers and reply queues). */
      maxLiveConversations: z.number().int().min(1).default(100_000),
      /** Bytes of messages (as counted for quotas) one history page carries at most. */
      maxHistoryPageBytes: z
        .number()
        .int()
        .min(1_024)
        .default(4 * 1_048_576),
    })
    .prefault({}),
  /** How long shutdown waits for replies in flight before marking them interrupted. */
  shutdownGraceMs: duration.default(5_000),
});

export type Config = z.infer<typeof configSchema>;
/** Config as written in a file or passed to `createBotwire`: every field optional. */
export type ConfigInput = z.input<typeof configSchema>;

/** The defaults, in one object. */
export const DEFAULT_CONFIG: Config = configSchema.parse({});

/**
 * Why this config cannot run, for settings that are each valid alone: cluster mode needs a
 * database every node shares, which a SQLite file under one node's data directory is not.
 */
export function clusterConfigProblem(config: Config): string | undefined {
  if (config.redisUrl === undefined || config.databaseUrl !== undefined) return undefined;
  return 'Cluster mode (BOTWIRE_REDIS_URL) needs PostgreSQL: the nodes must share one database, and SQLite is a file of one node. Set BOTWIRE_DATABASE_URL=postgres://user:password@host:5432/database as well, or unset BOTWIRE_REDIS_URL to run one node on SQLite (see docs/scaling.md).';
}
