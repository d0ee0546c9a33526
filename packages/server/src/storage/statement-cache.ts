import type BetterSqlite3 from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/** Prepared statements kept per connection; the queries Botwire runs are far fewer. */
export const STATEMENT_CACHE_SIZE = 256;

/**
 * The database as Kysely sees it, with each SQL text prepared once and reused. Kysely's SQLite
 * driver prepares every query anew, which cost about as much as running it (a quarter of the
 * server's CPU per chat message in the benchmark). Reuse is safe because the driver runs each
 * statement to completion synchronously (`all`/`run`); Botwire never streams query results,
 * which would keep a statement busy. Least recently used statements are dropped beyond
 * `capacity`, so queries with varying SQL (such as `in (...)` lists) cannot grow it without bound.
 */
export function withStatementCache(
  database: BetterSqlite3.Database,
  capacity = STATEMENT_CACHE_SIZE,
): SqliteDatabase {
  const statements = new Map<string, SqliteStatement>();
  return {
    prepare(sql: string): SqliteStatement {
      const cached = statements.get(sql);
      if (cached !== undefined) {
        // Re-inserting moves it to the end, so the first key is always the least recently used.
        statements.delete(sql);
        statements.set(sql, cached);
        return cached;
      }
      const statement = database.prepare(sql);
      if (statements.size >= capacity) {
        const oldest = statements.keys().next();
        if (oldest.done !== true) statements.delete(oldest.value);
      }
      statements.set(sql, statement);
      return statement;
    },
    close(): void {
      statements.clear();
      database.close();
    },
  };
}
