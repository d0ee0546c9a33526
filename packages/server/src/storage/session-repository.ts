import type { Kysely } from 'kysely';
import type { DatabaseSchema } from './database-schema.js';
import type { SessionRepository, StoredUser } from './store.js';
import { toStoredUser } from './user-row.js';

/**
 * Login sessions in SQL, keyed by the hash of the token (the token itself is never stored).
 * Times are ISO-8601 UTC strings, which order correctly as text.
 */
export class KyselySessionRepository implements SessionRepository {
  constructor(private readonly db: Kysely<DatabaseSchema>) {}

  async create(session: { tokenHash: string; userId: number; expiresAt: string }): Promise<void> {
    await this.db
      .insertInto('sessions')
      .values({
        token_hash: session.tokenHash,
        user_id: session.userId,
        created_at: new Date().toISOString(),
        expires_at: session.expiresAt,
      })
      .execute();
  }

  async findUser(tokenHash: string, now: string): Promise<StoredUser | undefined> {
    const row = await this.db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .selectAll('users')
      .where('sessions.token_hash', '=', tokenHash)
      .where('sessions.expires_at', '>', now)
      .executeTakeFirst();
    return row === undefined ? undefined : toStoredUser(row);
  }

  async delete(tokenHash: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
  }

  async deleteForUser(userId: number): Promise<void> {
    await this.db.deleteFrom('sessions').where('user_id', '=', userId).execute();
  }

  async deleteExpired(now: string): Promise<number> {
    const result = await this.db
      .deleteFrom('sessions')
      .where('expires_at', '<=', now)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
