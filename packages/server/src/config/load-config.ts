import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { describeIssues, err, ok, type Result } from '@botwire/protocol';
import { parse as parseYaml } from 'yaml';
import { clusterConfigProblem, configSchema, type Config } from './config.js';

type Setter = (target: Record<string, unknown>, value: string) => string | undefined;

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    const child = node[key];
    if (typeof child === 'object' && child !== null && !Array.isArray(child)) {
      node = child as Record<string, unknown>;
    } else {
      const created: Record<string, unknown> = {};
      node[key] = created;
      node = created;
    }
  }
  node[keys[keys.length - 1] ?? path] = value;
}

const text =
  (path: string): Setter =>
  (target, value) => {
    setPath(target, path, value);
    return undefined;
  };

const integer =
  (path: string): Setter =>
  (target, value) => {
    if (!/^-?\d+$/.test(value.trim()))
      return `must be a whole number, got ${JSON.stringify(value)}`;
    setPath(target, path, Number(value));
    return undefined;
  };

const list =
  (path: string): Setter =>
  (target, value) => {
    setPath(
      target,
      path,
      value
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item.length > 0),
    );
    return undefined;
  };

const flag =
  (path: string): Setter =>
  (target, value) => {
    const normalized = value.trim().toLowerCase();
    if (!['true', 'false', '1', '0', 'yes', 'no'].includes(normalized)) {
      return `must be true or false, got ${JSON.stringify(value)}`;
    }
    setPath(target, path, ['true', '1', 'yes'].includes(normalized));
    return undefined;
  };

/** Environment variables and the setting each one sets. Documented in docs/configuration.md. */
export const ENVIRONMENT_VARIABLES: Record<string, Setter> = {
  BOTWIRE_HOST: text('host'),
  BOTWIRE_PORT: integer('port'),
  BOTWIRE_DATA_DIR: text('dataDir'),
  BOTWIRE_DATABASE_FILE: text('databaseFile'),
  BOTWIRE_DATABASE_URL: text('databaseUrl'),
  BOTWIRE_DATABASE_POOL_SIZE: integer('databasePoolSize'),
  BOTWIRE_REDIS_URL: text('redisUrl'),
  BOTWIRE_NODE_ID: text('nodeId'),
  BOTWIRE_REDIS_PREFIX: text('redisPrefix'),
  BOTWIRE_GENERATION_LEASE_MS: integer('generationLeaseMs'),
  BOTWIRE_LOG_LEVEL: text('logLevel'),
  BOTWIRE_CONSOLE_DIR: text('consoleDir'),
  BOTWIRE_ADMIN_USERNAME: text('auth.adminUsername'),
  BOTWIRE_ADMIN_PASSWORD: text('auth.adminPassword'),
  BOTWIRE_API_KEYS: list('auth.apiKeys'),
  BOTWIRE_ALLOWED_ORIGINS: list('auth.allowedOrigins'),
  BOTWIRE_SESSION_TTL_HOURS: integer('auth.sessionTtlHours'),
  BOTWIRE_AUTHENTICATE_TIMEOUT_MS: integer('auth.authenticateTimeoutMs'),
  BOTWIRE_SECURE_COOKIE: flag('auth.secureCookie'),
  BOTWIRE_HEARTBEAT_INTERVAL_MS: integer('websocket.heartbeatIntervalMs'),
  BOTWIRE_HEARTBEAT_TIMEOUT_MS: integer('websocket.heartbeatTimeoutMs'),
  BOTWIRE_MAX_FRAME_BYTES: integer('websocket.maxFrameBytes'),
  BOTWIRE_MAX_FRAMES_PER_SECOND: integer('websocket.maxFramesPerSecond'),
  BOTWIRE_MAX_SEND_BUFFER_BYTES: integer('websocket.maxSendBufferBytes'),
  BOTWIRE_MAX_CONNECTIONS: integer('websocket.maxConnections'),
  BOTWIRE_MAX_CONNECTIONS_PER_PRINCIPAL: integer('websocket.maxConnectionsPerPrincipal'),
  BOTWIRE_REPLAY_WINDOW: integer('websocket.replayWindow'),
  BOTWIRE_MAX_QUEUED_MESSAGES: integer('websocket.maxQueuedMessages'),
  BOTWIRE_MAX_PENDING_CONNECTIONS: integer('websocket.maxPendingConnections'),
  BOTWIRE_MAX_PENDING_PER_ADDRESS: integer('websocket.maxPendingPerAddress'),
  BOTWIRE_MAX_PRE_AUTH_BYTES: integer('websocket.maxPreAuthBytes'),
  BOTWIRE_REPLAY_BUDGET_BYTES: integer('websocket.replayBudgetBytes'),
  BOTWIRE_REPLAY_TOTAL_BYTES: integer('websocket.replayTotalBytes'),
  BOTWIRE_MAX_MESSAGE_BYTES: integer('limits.maxMessageBytes'),
  BOTWIRE_PRINCIPAL_BYTES_PER_SECOND: integer('limits.principalBytesPerSecond'),
  BOTWIRE_PRINCIPAL_QUOTA_BYTES: integer('limits.principalQuotaBytes'),
  BOTWIRE_PIPELINE_QUOTA_BYTES: integer('limits.pipelineQuotaBytes'),
  BOTWIRE_MAX_LIVE_CONVERSATIONS: integer('limits.maxLiveConversations'),
  BOTWIRE_MAX_HISTORY_PAGE_BYTES: integer('limits.maxHistoryPageBytes'),
  BOTWIRE_MAX_IMAGE_BYTES: integer('limits.maxImageBytes'),
  BOTWIRE_UNATTACHED_IMAGE_TTL_MS: integer('limits.unattachedImageTtlMs'),
  BOTWIRE_SHUTDOWN_GRACE_MS: integer('shutdownGraceMs'),
  OPENAI_API_KEY: text('defaultModel.openaiApiKey'),
  OPENAI_BASE_URL: text('defaultModel.openaiBaseUrl'),
  ANTHROPIC_API_KEY: text('defaultModel.anthropicApiKey'),
  BOTWIRE_MODEL: text('defaultModel.model'),
};

/** Where configuration comes from; each defaults to the real process's. */
export interface ConfigSources {
  argv?: readonly string[];
  env?: Readonly<Record<string, string | undefined>>;
}

/** Usage of the server's command-line flags. */
export const SERVER_USAGE = `Usage: botwire-server [options]

Options:
  --config <file>      YAML config file (also BOTWIRE_CONFIG)
  --host <host>        interface to listen on (default 127.0.0.1)
  --port <port>        port to listen on (default 8000; 0 picks a free one)
  --data-dir <dir>     where the SQLite database lives (default ./data)
  --database-url <url> store in PostgreSQL (postgres://...) instead of SQLite
  --log-level <level>  fatal, error, warn, info, debug, trace or silent
  -h, --help           show this help

Every setting and its environment variable: docs/configuration.md`;

/** What the command line asked for besides settings. */
export interface LoadedConfig {
  config: Config;
  showHelp: boolean;
}

/**
 * Builds the config from defaults, then a YAML file, then `BOTWIRE_*` variables, then flags.
 * Returns every problem found, each naming its source, instead of throwing.
 */
export function loadConfig(sources: ConfigSources = {}): Result<LoadedConfig, string[]> {
  const argv = sources.argv ?? process.argv.slice(2);
  const env = sources.env ?? process.env;
  const problems: string[] = [];

  let flags: ReturnType<typeof parseFlags>;
  try {
    flags = parseFlags(argv);
  } catch (error) {
    return err([`command line: ${error instanceof Error ? error.message : String(error)}`]);
  }

  const raw: Record<string, unknown> = {};
  const configFlag = flags['config'];
  const file = typeof configFlag === 'string' ? configFlag : env.BOTWIRE_CONFIG;
  if (file !== undefined) {
    try {
      const parsed: unknown = parseYaml(readFileSync(file, 'utf8'));
      if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
        Object.assign(raw, parsed);
      } else if (parsed !== null && parsed !== undefined) {
        problems.push(`${file}: the config file must hold a mapping of settings`);
      }
    } catch (error) {
      problems.push(`${file}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  for (const [name, setter] of Object.entries(ENVIRONMENT_VARIABLES)) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    const problem = setter(raw, value);
    if (problem !== undefined) problems.push(`${name} ${problem}`);
  }

  const flagSetters: Record<string, Setter> = {
    host: text('host'),
    port: integer('port'),
    'data-dir': text('dataDir'),
    'database-url': text('databaseUrl'),
    'log-level': text('logLevel'),
  };
  for (const [name, setter] of Object.entries(flagSetters)) {
    const value = flags[name];
    if (typeof value !== 'string') continue;
    const problem = setter(raw, value);
    if (problem !== undefined) problems.push(`--${name} ${problem}`);
  }

  if (problems.length > 0) return err(problems);
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    return err(describeIssues(result.error).split('; '));
  }
  if (result.data.websocket.heartbeatTimeoutMs <= result.data.websocket.heartbeatIntervalMs) {
    return err(['websocket.heartbeatTimeoutMs must be larger than websocket.heartbeatIntervalMs']);
  }
  const clusterProblem = clusterConfigProblem(result.data);
  if (clusterProblem !== undefined) return err([clusterProblem]);
  return ok({ config: result.data, showHelp: flags['help'] === true });
}

function parseFlags(argv: readonly string[]): Record<string, string | boolean | undefined> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      config: { type: 'string' },
      host: { type: 'string' },
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      'database-url': { type: 'string' },
      'log-level': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
  return values;
}
