import {
  createPipelineBodySchema,
  isModelRunner,
  updatePipelineBodySchema,
  type RunnerConfig,
} from '@botwire/protocol';
import type { ChangeAnnouncer } from '../cluster/cluster-bus.js';
import { BotwireError } from '../errors/botwire-error.js';
import { validate } from '../errors/validate.js';
import type { Logger } from '../logging/logger.js';
import type { Store, StoredPipeline } from '../storage/store.js';
import { mergePipelineUpdate } from './pipeline-update.js';

/** Options for {@link PipelineService}. */
export interface PipelineServiceOptions {
  store: Store;
  logger: Logger;
  /**
   * Tells the other nodes of a cluster about pipeline writes, so they empty their caches and
   * close a deleted pipeline's connections. Without it (one node) nothing is announced.
   */
  announcer?: ChangeAnnouncer<PipelineChange>;
}

/** A pipeline write other nodes must learn of. */
export interface PipelineChange {
  kind: 'changed' | 'deleted';
  uuid: string;
}

type DeletionListener = (pipelineUuid: string) => void;

/**
 * Pipelines: validated create, read, update and delete, and the default pipeline. Every chat
 * message and connect reads its pipeline, so reads are cached; this service is the only writer,
 * and any write empties the cache (a create can also change which pipeline is the default).
 */
export class PipelineService {
  private readonly deletionListeners: DeletionListener[] = [];
  private readonly cache = new Map<string, StoredPipeline>();

  constructor(private readonly options: PipelineServiceOptions) {}

  list(): Promise<StoredPipeline[]> {
    return this.options.store.pipelines.list();
  }

  /** Forgets every cached pipeline (another node wrote one, or its news may have been lost). */
  forgetCached(): void {
    this.cache.clear();
  }

  /** A write another node made: forgets the cache and, for a deletion, runs the listeners. */
  applyRemoteChange(change: PipelineChange): void {
    this.cache.clear();
    if (change.kind === 'deleted') {
      for (const listener of this.deletionListeners) listener(change.uuid);
    }
  }

  /** Runs a write with the cache emptied before and after, so no read caches a stale row. */
  private async write<TResult>(operation: () => Promise<TResult>): Promise<TResult> {
    this.options.announcer?.assertCanAnnounce();
    this.cache.clear();
    try {
      return await operation();
    } finally {
      this.cache.clear();
    }
  }

  async find(uuid: string): Promise<StoredPipeline | undefined> {
    const cached = this.cache.get(uuid);
    if (cached !== undefined) return cached;
    const pipeline = await this.options.store.pipelines.get(uuid);
    if (pipeline !== undefined) this.cache.set(uuid, pipeline);
    return pipeline;
  }

  /** The pipeline, or `PIPELINE_NOT_FOUND`. */
  async get(uuid: string): Promise<StoredPipeline> {
    const pipeline = await this.find(uuid);
    if (pipeline === undefined) throw pipelineNotFound(uuid);
    return pipeline;
  }

  async create(body: unknown): Promise<StoredPipeline> {
    const { name, description, runner, ...behaviour } = validate(
      createPipelineBodySchema,
      body,
      'pipeline',
    );
    const pipeline = await this.write(() =>
      this.options.store.pipelines.create({ name, description, runner, behaviour }),
    );
    this.options.logger.info(
      { pipeline: pipeline.uuid, runner: pipeline.runner.type },
      'pipeline created',
    );
    // A create can change which pipeline is the default, which other nodes cache too.
    await this.options.announcer?.announce({ kind: 'changed', uuid: pipeline.uuid });
    return pipeline;
  }

  async update(uuid: string, body: unknown): Promise<StoredPipeline> {
    const update = validate(updatePipelineBodySchema, body, 'pipeline changes');
    const stored = await this.get(uuid);
    const pipeline = await this.write(() =>
      this.options.store.pipelines.update(uuid, mergePipelineUpdate(stored, update)),
    );
    if (pipeline === undefined) throw pipelineNotFound(uuid);
    await this.options.announcer?.announce({ kind: 'changed', uuid });
    return pipeline;
  }

  /** Deletes the pipeline with its history; its live connections are closed by listeners. */
  async delete(uuid: string): Promise<void> {
    await this.get(uuid);
    await this.write(() => this.options.store.pipelines.delete(uuid));
    this.options.logger.info({ pipeline: uuid }, 'pipeline deleted');
    for (const listener of this.deletionListeners) listener(uuid);
    await this.options.announcer?.announce({ kind: 'deleted', uuid });
  }

  onDeleted(listener: DeletionListener): void {
    this.deletionListeners.push(listener);
  }

  /**
   * Makes sure a pipeline is there to chat with: on a store without pipelines, creates the
   * default one with `runner` (a model when the environment names one, else echo). `created`
   * tells whether it did.
   */
  async ensureDefault(
    runner: RunnerConfig,
  ): Promise<{ pipeline: StoredPipeline; created: boolean }> {
    const existing = await this.options.store.pipelines.getDefault();
    if (existing !== undefined) return { pipeline: existing, created: false };
    const all = await this.options.store.pipelines.list();
    if (all[0] !== undefined) return { pipeline: all[0], created: false };
    const usesModel = isModelRunner(runner);
    const pipeline = await this.write(() =>
      this.options.store.pipelines.create({
        name: 'Default pipeline',
        description: usesModel
          ? 'Created at first start with the model from the environment.'
          : 'Created at first start. Replies with the echo runner until you give it a model.',
        runner,
        isDefault: true,
      }),
    );
    this.options.logger.info(
      {
        pipeline: pipeline.uuid,
        runner: runner.type,
        ...(usesModel ? { model: runner.settings.model } : {}),
      },
      usesModel
        ? `created the default pipeline with the ${runner.type} runner`
        : 'created the default pipeline (echo runner: no model configured)',
    );
    return { pipeline, created: true };
  }
}

function pipelineNotFound(uuid: string): BotwireError {
  return new BotwireError(
    'PIPELINE_NOT_FOUND',
    `No pipeline has uuid ${uuid}. List pipelines with GET /api/v1/pipelines.`,
  );
}
