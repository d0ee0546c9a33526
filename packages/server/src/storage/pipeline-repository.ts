import { randomUUID } from 'node:crypto';
import {
  pipelineBehaviourSchema,
  runnerConfigSchema,
  type PipelineBehaviour,
  type RunnerConfig,
} from '@botwire/protocol';
import type { Kysely, Selectable } from 'kysely';
import type { DatabaseSchema, PipelinesTable } from './database-schema.js';
import { readJsonColumn } from './json-column.js';
import type { NewPipeline, PipelineChanges, PipelineRepository, StoredPipeline } from './store.js';

/** Served when a stored runner is unreadable, so the pipeline still answers instead of failing. */
const FALLBACK_RUNNER: RunnerConfig = { type: 'echo', settings: { delay_ms: 30 } };
const DEFAULT_BEHAVIOUR: PipelineBehaviour = pipelineBehaviourSchema.parse({});

function toPipeline(row: Selectable<PipelinesTable>): StoredPipeline {
  return {
    uuid: row.uuid,
    name: row.name,
    description: row.description,
    runner: readJsonColumn(row.runner, runnerConfigSchema, FALLBACK_RUNNER),
    ...readJsonColumn(row.behaviour, pipelineBehaviourSchema, DEFAULT_BEHAVIOUR),
    is_default: row.is_default !== 0,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

/** Pipelines in SQL. At most one pipeline is default: creating a new default clears the old one. */
export class KyselyPipelineRepository implements PipelineRepository {
  /** `now` is the clock of `created_at`/`updated_at`; tests pass one they move. */
  constructor(
    private readonly db: Kysely<DatabaseSchema>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async list(): Promise<StoredPipeline[]> {
    const rows = await this.db
      .selectFrom('pipelines')
      .selectAll()
      .orderBy('created_at')
      .orderBy('name')
      .execute();
    return rows.map(toPipeline);
  }

  async get(uuid: string): Promise<StoredPipeline | undefined> {
    const row = await this.db
      .selectFrom('pipelines')
      .selectAll()
      .where('uuid', '=', uuid)
      .executeTakeFirst();
    return row === undefined ? undefined : toPipeline(row);
  }

  async getDefault(): Promise<StoredPipeline | undefined> {
    const row = await this.db
      .selectFrom('pipelines')
      .selectAll()
      .where('is_default', '=', 1)
      .orderBy('created_at')
      .executeTakeFirst();
    return row === undefined ? undefined : toPipeline(row);
  }

  async create(pipeline: NewPipeline): Promise<StoredPipeline> {
    const now = this.now().toISOString();
    const isDefault = pipeline.isDefault === true;
    return this.db.transaction().execute(async (trx) => {
      if (isDefault) {
        await trx
          .updateTable('pipelines')
          .set({ is_default: 0 })
          .where('is_default', '=', 1)
          .execute();
      }
      const row = await trx
        .insertInto('pipelines')
        .values({
          uuid: randomUUID(),
          name: pipeline.name,
          description: pipeline.description,
          runner: JSON.stringify(pipeline.runner),
          behaviour: JSON.stringify(pipeline.behaviour ?? DEFAULT_BEHAVIOUR),
          is_default: isDefault ? 1 : 0,
          created_at: now,
          updated_at: now,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toPipeline(row);
    });
  }

  async update(uuid: string, changes: PipelineChanges): Promise<StoredPipeline | undefined> {
    const row = await this.db
      .updateTable('pipelines')
      .set({
        ...(changes.name === undefined ? {} : { name: changes.name }),
        ...(changes.description === undefined ? {} : { description: changes.description }),
        ...(changes.runner === undefined ? {} : { runner: JSON.stringify(changes.runner) }),
        ...(changes.behaviour === undefined
          ? {}
          : { behaviour: JSON.stringify(changes.behaviour) }),
        updated_at: this.now().toISOString(),
      })
      .where('uuid', '=', uuid)
      .returningAll()
      .executeTakeFirst();
    return row === undefined ? undefined : toPipeline(row);
  }

  async delete(uuid: string): Promise<boolean> {
    // Conversations and their messages go with it through ON DELETE CASCADE.
    const result = await this.db
      .deleteFrom('pipelines')
      .where('uuid', '=', uuid)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }
}
