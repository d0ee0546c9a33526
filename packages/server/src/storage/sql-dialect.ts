import {
  PostgresAdapter,
  SqliteAdapter,
  type ColumnDataType,
  type CreateTableBuilder,
  type Kysely,
} from 'kysely';

/** The SQL databases Botwire stores in. */
export type SqlDialectName = 'sqlite' | 'postgres';

/**
 * Which database `db` talks to, read from its Kysely adapter. Migrations take a plain
 * `Kysely<unknown>`, so this is how the one migration list learns where it runs.
 */
export function sqlDialectOf<TSchema>(db: Kysely<TSchema>): SqlDialectName {
  // getExecutor is marked internal but is the only way to reach the adapter from a Kysely
  // instance; the fallback below turns an unexpected change into a clear error at start.
  const adapter = db.getExecutor().adapter;
  if (adapter instanceof PostgresAdapter) return 'postgres';
  if (adapter instanceof SqliteAdapter) return 'sqlite';
  throw new Error(
    `Botwire stores in SQLite or PostgreSQL; this database's dialect (${adapter.constructor.name}) is neither.`,
  );
}

/**
 * The column types that differ between the dialects; everything else in the migrations is
 * written once. PostgreSQL gets its native types, and the pool's type parsers
 * (`postgres-database.ts`) read them back in the shapes SQLite gives (numbers, JSON text, ISO
 * strings), so the repositories never branch on the dialect.
 */
export interface DialectColumnTypes {
  /**
   * Integers that may pass 2^31 (row ids, references to them, seqs). SQLite's `integer` is
   * already 64-bit; PostgreSQL needs `bigint`.
   */
  readonly bigInteger: ColumnDataType;
  /** JSON documents written as JSON text: `text` in SQLite, `jsonb` in PostgreSQL. */
  readonly json: ColumnDataType;
  /**
   * Points in time written as ISO-8601 UTC strings: `text` in SQLite (ISO strings order
   * correctly as text), `timestamptz` in PostgreSQL.
   */
  readonly timestamp: ColumnDataType;
}

const COLUMN_TYPES: Record<SqlDialectName, DialectColumnTypes> = {
  sqlite: { bigInteger: 'integer', json: 'text', timestamp: 'text' },
  postgres: { bigInteger: 'bigint', json: 'jsonb', timestamp: 'timestamptz' },
};

/** The dialect's column types for `db`. */
export function columnTypesOf<TSchema>(db: Kysely<TSchema>): DialectColumnTypes {
  return COLUMN_TYPES[sqlDialectOf(db)];
}

/**
 * Adds the auto-generated integer primary key `id`. Ids are never reused after deletes
 * (history cursors and `reply_to` rely on that): SQLite needs `autoincrement` for this, and a
 * PostgreSQL identity column draws from a sequence, which never goes back. "By default" (not
 * "always") so that rows copied from another database may keep their ids.
 */
export function addIdColumn<TSchema, TTable extends string>(
  db: Kysely<TSchema>,
  table: CreateTableBuilder<TTable, never>,
): CreateTableBuilder<TTable, 'id'> {
  return sqlDialectOf(db) === 'postgres'
    ? table.addColumn('id', 'bigint', (column) =>
        column.primaryKey().generatedByDefaultAsIdentity(),
      )
    : table.addColumn('id', 'integer', (column) => column.primaryKey().autoIncrement());
}
