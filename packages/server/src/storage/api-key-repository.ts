import { z } from 'zod';
import type { Kysely, Selectable } from 'kysely';
import type { ApiKeysTable, DatabaseSchema } from './database-schema.js';
import { readJsonColumn } from './json-column.js';
import type { ApiKeyRepository, NewApiKey, StoredApiKey } from './store.js';
import { toRole } from './user-row.js';

const pipelineListSchema = z.array(z.string());

function toApiKey(row: Selectable<ApiKeysTable>): StoredApiKey {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    role: toRole(row.role),
    // NULL means every pipeline; an unreadable list means none, so damage never widens access.
    pipelines:
      row.pipelines === null ? null : readJsonColumn(row.pipelines, pipelineListSchema, []),
    created_at: row.created_at,
    last_used_at: row.last_used_at,
    revoked_at: row.revoked_at,
    expires_at: row.expires_at,
  };
}

/** API keys in SQL, looked up by the hash of the key (the key itself is never stored). */
export class KyselyApiKeyRepository implements ApiKeyRepository {
  constructor(private readonly db: Kysely<DatabaseSchema>) {}

  async create(key: NewApiKey): Promise<StoredApiKey> {
    const row = await this.db
      .insertInto('api_keys')
      .values({
        name: key.name,
        prefix: key.prefix,
        key_hash: key.keyHash,
        role: key.role,
        pipelines: key.pipelines === null ? null : JSON.stringify(key.pipelines),
        created_by: key.createdBy,
        created_at: new Date().toISOString(),
        last_used_at: null,
        revoked_at: null,
        expires_at: key.expiresAt,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toApiKey(row);
  }

  async list(): Promise<StoredApiKey[]> {
    const rows = await this.db.selectFrom('api_keys').selectAll().orderBy('id').execute();
    return rows.map(toApiKey);
  }

  async findActiveByHash(keyHash: string): Promise<StoredApiKey | undefined> {
    const row = await this.db
      .selectFrom('api_keys')
      .selectAll()
      .where('key_hash', '=', keyHash)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return row === undefined ? undefined : toApiKey(row);
  }

  async revoke(id: number): Promise<boolean> {
    const result = await this.db
      .updateTable('api_keys')
      .set({ revoked_at: new Date().toISOString() })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async deleteRevoked(id: number): Promise<'deleted' | 'active' | 'missing'> {
    const result = await this.db
      .deleteFrom('api_keys')
      .where('id', '=', id)
      .where('revoked_at', 'is not', null)
      .executeTakeFirst();
    if (result.numDeletedRows > 0n) return 'deleted';
    const row = await this.db
      .selectFrom('api_keys')
      .select('id')
      .where('id', '=', id)
      .executeTakeFirst();
    return row === undefined ? 'missing' : 'active';
  }

  async touchLastUsed(id: number, at: string): Promise<void> {
    await this.db.updateTable('api_keys').set({ last_used_at: at }).where('id', '=', id).execute();
  }
}
