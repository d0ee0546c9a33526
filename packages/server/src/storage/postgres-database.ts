import {
  Kysely,
  PostgresDialect,
  type PostgresCursor,
  type PostgresPool,
  type PostgresPoolClient,
  type PostgresQueryResult,
} from 'kysely';
import pg from 'pg';
import { BotwireError } from '../errors/botwire-error.js';
import type { Logger } from '../logging/logger.js';
import type { DatabaseSchema } from './database-schema.js';
import { toDatabaseError, unavailableReason } from './postgres-errors.js';

/** Where and how to reach PostgreSQL. */
export interface PostgresDatabaseOptions {
  /** `postgres://user:password@host:port/database`, as `pg` reads it (query parameters too). */
  url: string;
  /** Connections the pool opens at most. */
  poolSize: number;
  /** Hears about connections that fail while idle (a database restart), which are then replaced. */
  logger: Logger;
  /**
   * Schema for Botwire's tables; the connection's own `search_path` when absent. Tests give each
   * store its own schema inside one database.
   */
  schema?: string;
}

/**
 * How long getting a connection may take before the attempt fails with `DATABASE_UNAVAILABLE`.
 * `pg` waits forever by default, which would hang every request during an outage instead of
 * answering it; this also bounds the wait for a free connection when the pool is exhausted.
 */
export const POSTGRES_CONNECT_TIMEOUT_MS = 5_000;

/** Type ids of the PostgreSQL types the schema uses whose default `pg` parsing differs from SQLite's. */
const { INT8, JSON: JSON_TYPE, JSONB, TIMESTAMPTZ } = pg.types.builtins;

/**
 * Reads PostgreSQL's native column types back in the shapes SQLite gives, so the repositories
 * are the same for both: `bigint` ids and seqs as numbers (they stay far below 2^53), JSON
 * columns as their text (the repositories validate it), `timestamptz` as ISO-8601 UTC strings
 * exactly as written. Set per pool, never on `pg`'s global parsers.
 */
function createTypeParsers(): pg.TypeOverrides {
  const parsers = new pg.TypeOverrides();
  // pg-types declares its parsers as returning `any`; this one returns a Date (or a number for
  // 'infinity').
  const parseTimestamp = pg.types.getTypeParser(TIMESTAMPTZ) as (text: string) => unknown;
  parsers.setTypeParser(INT8, (text: string) => Number(text));
  parsers.setTypeParser(JSONB, (text: string) => text);
  parsers.setTypeParser(JSON_TYPE, (text: string) => text);
  parsers.setTypeParser(TIMESTAMPTZ, (text: string) => {
    const value: unknown = parseTimestamp(text);
    // 'infinity' parses to a number: keep such text as it is rather than throw on a read.
    return value instanceof Date && !Number.isNaN(value.getTime()) ? value.toISOString() : text;
  });
  return parsers;
}

/** Quotes an identifier for SQL (double quotes, embedded quotes doubled). */
function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Query parameters of a PostgreSQL URL that `pg` reads as secrets. */
const SECRET_PARAMETERS = ['password', 'sslpassword'];

/** The URL without its passwords (user info or query parameters), for logs and error messages. */
export function describePostgresUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    for (const name of SECRET_PARAMETERS) {
      if (parsed.searchParams.has(name)) parsed.searchParams.set(name, '***');
    }
    return parsed.toString();
  } catch {
    return 'postgres://(unparsable URL)';
  }
}

/**
 * A pool client whose failures arrive typed: connection losses become `DATABASE_UNAVAILABLE`
 * (see {@link toDatabaseError}); every other error (a constraint, a syntax error) is unchanged.
 */
class GuardedClient implements PostgresPoolClient {
  private broken = false;

  constructor(
    private readonly client: pg.PoolClient,
    private readonly availability: Availability,
  ) {}

  query<R>(sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>>;
  query<R>(cursor: PostgresCursor<R>): PostgresCursor<R>;
  query<R>(
    sqlOrCursor: string | PostgresCursor<R>,
    parameters?: ReadonlyArray<unknown>,
  ): Promise<PostgresQueryResult<R>> | PostgresCursor<R> {
    if (typeof sqlOrCursor !== 'string') {
      // The dialect is built without a cursor class, so Kysely never streams; say so if it tries.
      throw new Error('Botwire does not stream PostgreSQL query results.');
    }
    return this.client.query(sqlOrCursor, parameters === undefined ? [] : [...parameters]).then(
      (result) => result as unknown as PostgresQueryResult<R>,
      (error: unknown) => {
        const mapped = toDatabaseError(error);
        if (mapped instanceof BotwireError && mapped.code === 'DATABASE_UNAVAILABLE') {
          this.broken = true;
          this.availability.lost(mapped);
        }
        throw mapped;
      },
    );
  }

  release(destroy?: boolean): void {
    // A connection that failed must not go back to the pool: the server's goodbye (say 57P01)
    // can reach the query before the socket closes, and the next caller would get a dead one.
    this.client.release(this.broken || destroy === true);
  }
}

/**
 * Logs when the database stops answering and when it answers again, once each: during an
 * outage every request fails, and one line per request would flood the log.
 */
class Availability {
  private down = false;

  constructor(
    private readonly target: string,
    private readonly logger: Logger,
  ) {}

  lost(error: BotwireError): void {
    if (this.down) return;
    this.down = true;
    this.logger.warn(
      { database: this.target, reason: unavailableReason(error) },
      'PostgreSQL cannot be reached; requests that need it fail with DATABASE_UNAVAILABLE until it is back',
    );
  }

  regained(): void {
    if (!this.down) return;
    this.down = false;
    this.logger.warn({ database: this.target }, 'PostgreSQL can be reached again');
  }
}

/**
 * The `pg` pool as Kysely's dialect sees it, guarded so that no PostgreSQL failure crashes the
 * process: failed connects and queries reject with typed errors, and errors of connections
 * that are idle or between two queries of a transaction (which `pg` emits as events, fatal
 * without a listener) are logged; `pg` then drops those connections and opens new ones.
 */
class GuardedPool implements PostgresPool {
  private readonly clients = new WeakMap<pg.PoolClient, GuardedClient>();
  private readonly availability: Availability;

  constructor(
    private readonly pool: pg.Pool,
    private readonly target: string,
    private readonly logger: Logger,
  ) {
    this.availability = new Availability(target, logger);
    pool.on('error', (error) => {
      logger.warn({ err: error, database: target }, 'an idle PostgreSQL connection failed');
    });
  }

  async connect(): Promise<PostgresPoolClient> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      const mapped = toDatabaseError(error);
      if (mapped instanceof BotwireError && mapped.code === 'DATABASE_UNAVAILABLE') {
        this.availability.lost(mapped);
      }
      throw mapped;
    }
    let guarded = this.clients.get(client);
    if (guarded === undefined) {
      // A new connection: the database answers.
      this.availability.regained();
      guarded = new GuardedClient(client, this.availability);
      this.clients.set(client, guarded);
      client.on('error', (error) => {
        this.logger.warn({ err: error, database: this.target }, 'a PostgreSQL connection failed');
      });
    }
    return guarded;
  }

  end(): Promise<void> {
    return this.pool.end();
  }
}

/**
 * Opens a PostgreSQL database for Kysely through a `pg` pool. Connections are made lazily, on
 * the first query; {@link openPostgresStore} checks that one can be made before migrating.
 */
export function createPostgresDatabase(options: PostgresDatabaseOptions): Kysely<DatabaseSchema> {
  const target = describePostgresUrl(options.url);
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize,
    connectionTimeoutMillis: POSTGRES_CONNECT_TIMEOUT_MS,
    // Notices a peer that vanished without closing (a crashed host, a dropped NAT entry).
    keepAlive: true,
    application_name: 'botwire',
    types: createTypeParsers(),
    ...(options.schema === undefined
      ? {}
      : { options: `-c search_path=${quoteIdentifier(options.schema)}` }),
  });
  return new Kysely<DatabaseSchema>({
    dialect: new PostgresDialect({ pool: new GuardedPool(pool, target, options.logger) }),
  });
}
