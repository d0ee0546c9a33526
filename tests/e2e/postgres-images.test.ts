import { existsSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { useTestPostgresDatabases } from '../support/postgres-database.js';
import { ADMIN_KEY } from '../support/server-process.js';
import { TestResources } from '../support/stream-test-kit.js';
import { ONE_PIXEL_PNG as PNG } from '../support/image-fixtures.js';

async function imageRows(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  try {
    const { rows } = await client.query<{ count: string }>(
      'select count(*) as count from image_data',
    );
    return Number(rows[0]?.count);
  } finally {
    await client.end();
  }
}

/** Uploaded images on a PostgreSQL store: bytes in `image_data`, none under the data directory. */
describe('images on PostgreSQL', () => {
  const resources = new TestResources();
  const newDatabase = useTestPostgresDatabases();
  afterEach(async () => {
    await resources.dispose();
  });

  it('stores the bytes in PostgreSQL and serves them after a restart', async () => {
    const database = await newDatabase();
    const env = { BOTWIRE_DATABASE_URL: database.url };
    const first = await resources.startServer({ env });
    const uploaded = await fetch(
      `${first.url}/api/v1/pipelines/${first.defaultPipelineUuid}/images?session_type=person`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'image/png' },
        body: PNG,
      },
    );
    expect(uploaded.status).toBe(200);
    const { data } = (await uploaded.json()) as { data: { url: string } };
    expect(await imageRows(database.url)).toBe(1);
    expect(existsSync(path.join(first.dataDir, 'images'))).toBe(false);
    await first.stop();

    const second = await resources.startServer({ env });
    const served = await fetch(`${second.url}${data.url}`, {
      headers: { authorization: `Bearer ${ADMIN_KEY}` },
    });
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await served.arrayBuffer()).equals(PNG)).toBe(true);
  });
});
