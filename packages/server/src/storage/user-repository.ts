import type { Role, User } from '@botwire/protocol';
import type { Kysely } from 'kysely';
import type { DatabaseSchema } from './database-schema.js';
import type { StoredUser, UserRepository } from './store.js';
import { toStoredUser } from './user-row.js';

/** Keeps the password hash out of values that may be serialised into a response. */
function toUser(user: StoredUser): User {
  return { id: user.id, username: user.username, role: user.role, created_at: user.created_at };
}

/** Users in SQL. Deleting a user deletes their sessions (ON DELETE CASCADE). */
export class KyselyUserRepository implements UserRepository {
  constructor(private readonly db: Kysely<DatabaseSchema>) {}

  async count(): Promise<number> {
    const row = await this.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll().as('count'))
      .executeTakeFirstOrThrow();
    // PostgreSQL returns count(*) as a bigint string, SQLite as a number.
    return Number(row.count);
  }

  async create(user: { username: string; passwordHash: string; role: Role }): Promise<User> {
    const row = await this.db
      .insertInto('users')
      .values({
        username: user.username,
        password_hash: user.passwordHash,
        role: user.role,
        created_at: new Date().toISOString(),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toUser(toStoredUser(row));
  }

  async findByUsername(username: string): Promise<StoredUser | undefined> {
    const row = await this.db
      .selectFrom('users')
      .selectAll()
      .where('username', '=', username)
      .executeTakeFirst();
    return row === undefined ? undefined : toStoredUser(row);
  }

  async findById(id: number): Promise<StoredUser | undefined> {
    const row = await this.db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row === undefined ? undefined : toStoredUser(row);
  }

  async list(): Promise<User[]> {
    const rows = await this.db.selectFrom('users').selectAll().orderBy('id').execute();
    return rows.map((row) => toUser(toStoredUser(row)));
  }

  async updatePassword(id: number, passwordHash: string): Promise<void> {
    await this.db
      .updateTable('users')
      .set({ password_hash: passwordHash })
      .where('id', '=', id)
      .execute();
  }

  async updateRole(id: number, role: Role): Promise<void> {
    await this.db.updateTable('users').set({ role }).where('id', '=', id).execute();
  }

  async delete(id: number): Promise<boolean> {
    const result = await this.db.deleteFrom('users').where('id', '=', id).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }
}
