import {
  DEFAULT_WIDGET_LIMITS,
  widgetLimitsSchema,
  widgetOriginSchema,
  type WidgetLimits,
  type WidgetSettings,
} from '@botwire/protocol';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DatabaseSchema, PipelineWidgetsTable } from './database-schema.js';
import { readJsonColumn } from './json-column.js';
import type { ServerSecretRepository, WidgetRepository } from './store.js';

const originsSchema = z.array(widgetOriginSchema);

function toSettings(row: PipelineWidgetsTable): WidgetSettings {
  return {
    pipeline_uuid: row.pipeline_uuid,
    public: row.public === 1,
    widget_key: row.widget_key,
    allowed_origins: readJsonColumn(row.allowed_origins, originsSchema, []),
    // Limits stored by an older version lack newer fields: the defaults fill them in.
    limits: {
      ...DEFAULT_WIDGET_LIMITS,
      ...readJsonColumn<Partial<WidgetLimits>>(
        row.limits,
        widgetLimitsSchema.partial(),
        DEFAULT_WIDGET_LIMITS,
      ),
    },
    updated_at: row.updated_at,
  };
}

/** Pipelines' public widget settings in SQL, one row per pipeline ever made public. */
export class KyselyWidgetRepository implements WidgetRepository {
  constructor(private readonly db: Kysely<DatabaseSchema>) {}

  async get(pipelineUuid: string): Promise<WidgetSettings | undefined> {
    const row = await this.db
      .selectFrom('pipeline_widgets')
      .selectAll()
      .where('pipeline_uuid', '=', pipelineUuid)
      .executeTakeFirst();
    return row === undefined ? undefined : toSettings(row);
  }

  async save(settings: WidgetSettings): Promise<void> {
    const values = {
      public: settings.public ? 1 : 0,
      widget_key: settings.widget_key,
      allowed_origins: JSON.stringify(settings.allowed_origins),
      limits: JSON.stringify(settings.limits),
      updated_at: settings.updated_at,
    };
    await this.db
      .insertInto('pipeline_widgets')
      .values({ pipeline_uuid: settings.pipeline_uuid, ...values })
      .onConflict((conflict) => conflict.column('pipeline_uuid').doUpdateSet(values))
      .execute();
  }
}

/** The server's own secrets in SQL; the first writer of a name wins, so instances agree. */
export class KyselyServerSecretRepository implements ServerSecretRepository {
  constructor(private readonly db: Kysely<DatabaseSchema>) {}

  async getOrCreate(name: string, create: () => string): Promise<string> {
    await this.db
      .insertInto('server_secrets')
      .values({ name, value: create(), created_at: new Date().toISOString() })
      .onConflict((conflict) => conflict.column('name').doNothing())
      .execute();
    const row = await this.db
      .selectFrom('server_secrets')
      .select('value')
      .where('name', '=', name)
      .executeTakeFirstOrThrow();
    return row.value;
  }
}
