import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { killDuringBurst } from '../support/burst-kill.js';
import { useTestPostgresDatabases } from '../support/postgres-database.js';
import { TestResources } from '../support/stream-test-kit.js';

/** `(client_id, count)` of the user messages in the database, read directly. */
async function storedClientIds(url: string): Promise<Map<string, number>> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  try {
    const { rows } = await client.query<{ client_id: string; count: string }>(
      "select client_id, count(*) as count from messages where role = 'user' group by client_id",
    );
    return new Map(rows.map((row) => [row.client_id, Number(row.count)]));
  } finally {
    await client.end();
  }
}

/**
 * The group-committed write path on PostgreSQL (one statement per batch), against real server
 * processes: the guard rail of `write-path.test.ts`, on the other store.
 */
describe('write path on PostgreSQL', () => {
  const resources = new TestResources();
  const newDatabase = useTestPostgresDatabases();
  afterEach(async () => {
    await resources.dispose();
  });

  it('keeps every acknowledged message of a burst across a kill -9, each stored once', async () => {
    const database = await newDatabase();
    const outcome = await killDuringBurst({
      resources,
      server: {
        env: {
          BOTWIRE_DATABASE_URL: database.url,
          BOTWIRE_MAX_FRAMES_PER_SECOND: '10000',
          BOTWIRE_MAX_QUEUED_MESSAGES: '1000',
        },
      },
    });
    // In the database: every acknowledged client_id, none twice.
    const stored = await storedClientIds(database.url);
    for (const frame of outcome.acknowledged.flat()) {
      expect(stored.get(frame.data.client_id ?? '')).toBe(1);
    }
    expect([...stored.values()].every((count) => count === 1)).toBe(true);
    // And through a restarted server, with the ids and texts that were acknowledged.
    await outcome.expectAcknowledgedInHistory();
  });
});
