import { roleSchema, type Role } from '@botwire/protocol';
import type { Selectable } from 'kysely';
import type { UsersTable } from './database-schema.js';
import type { StoredUser } from './store.js';

/**
 * Reads a stored role. An unknown value falls back to `member`, the least privilege, so a
 * damaged row can never grant admin.
 */
export function toRole(value: string): Role {
  const parsed = roleSchema.safeParse(value);
  return parsed.success ? parsed.data : 'member';
}

/** Maps a users row to the stored user (protocol fields plus the password hash). */
export function toStoredUser(row: Selectable<UsersTable>): StoredUser {
  return {
    id: row.id,
    username: row.username,
    role: toRole(row.role),
    created_at: row.created_at,
    passwordHash: row.password_hash,
  };
}
