import Database from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { withStatementCache } from './statement-cache.js';

describe('withStatementCache', () => {
  const databases: Database.Database[] = [];
  afterEach(() => {
    for (const database of databases.splice(0)) if (database.open) database.close();
  });

  function openDatabase(): Database.Database {
    const database = new Database(':memory:');
    databases.push(database);
    database.exec('create table items (id integer primary key, name text)');
    return database;
  }

  it('prepares each SQL text once however often Kysely runs it', async () => {
    const database = openDatabase();
    const prepare = vi.spyOn(database, 'prepare');
    const db = new Kysely<{ items: { id: number; name: string } }>({
      dialect: new SqliteDialect({ database: withStatementCache(database) }),
    });
    for (let index = 0; index < 5; index += 1) {
      await db
        .insertInto('items')
        .values({ id: index, name: `item ${index}` })
        .execute();
      await db.selectFrom('items').selectAll().where('id', '=', index).execute();
    }
    const rows = await db.selectFrom('items').select('name').orderBy('id').execute();
    expect(rows.map((row) => row.name)).toEqual([0, 1, 2, 3, 4].map((index) => `item ${index}`));
    // One insert, one select by id, one ordered select.
    expect(prepare).toHaveBeenCalledTimes(3);
    await db.destroy();
    expect(database.open).toBe(false);
  });

  it('drops the least recently used statement beyond its capacity', () => {
    const database = openDatabase();
    const prepare = vi.spyOn(database, 'prepare');
    const cache = withStatementCache(database, 2);
    cache.prepare('select 1');
    cache.prepare('select 2');
    cache.prepare('select 1'); // now the most recently used
    cache.prepare('select 3'); // evicts "select 2"
    cache.prepare('select 1');
    cache.prepare('select 2'); // prepared again
    expect(prepare.mock.calls.map(([text]) => text)).toEqual([
      'select 1',
      'select 2',
      'select 3',
      'select 2',
    ]);
  });

  it('keeps results right when one statement runs with different parameters', async () => {
    const database = openDatabase();
    const db = new Kysely<{ items: { id: number; name: string } }>({
      dialect: new SqliteDialect({ database: withStatementCache(database) }),
    });
    await sql`insert into items (id, name) values (1, 'one'), (2, 'two')`.execute(db);
    const first = await db.selectFrom('items').select('name').where('id', '=', 1).execute();
    const second = await db.selectFrom('items').select('name').where('id', '=', 2).execute();
    expect([first, second]).toEqual([[{ name: 'one' }], [{ name: 'two' }]]);
    await db.destroy();
  });
});
