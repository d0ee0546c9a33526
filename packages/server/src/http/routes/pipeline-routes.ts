import type { FastifyInstance, FastifyRequest } from 'fastify';
import { canUsePipeline } from '../../auth/principal.js';
import { success } from '../envelope.js';
import type { HttpDependencies } from '../http-dependencies.js';
import { principalOf } from '../request-context.js';
import { checkModel } from '../../pipelines/model-check.js';
import { toPublicPipeline } from '../../pipelines/public-pipeline.js';
import { RUNNER_DESCRIPTIONS } from '../../runners/runner-registry.js';

function uuidOf(request: FastifyRequest): string {
  return (request.params as { uuid: string }).uuid;
}

/** Pipelines CRUD, runner types and user-facing adapters. */
export function registerPipelineRoutes(app: FastifyInstance, dependencies: HttpDependencies): void {
  const { auth, pipelines } = dependencies;

  app.get('/api/v1/pipelines', async (request) => {
    const principal = principalOf(request);
    const all = await pipelines.list();
    return success({
      pipelines: all
        .filter((pipeline) => canUsePipeline(principal, pipeline.uuid))
        .map(toPublicPipeline),
    });
  });

  app.post('/api/v1/pipelines', async (request, reply) => {
    auth.authorize(principalOf(request), 'admin');
    const pipeline = await pipelines.create(request.body);
    return reply.status(201).send(success({ pipeline: toPublicPipeline(pipeline) }));
  });

  app.get('/api/v1/pipelines/:uuid', async (request) => {
    auth.authorize(principalOf(request), 'chat', uuidOf(request));
    return success({ pipeline: toPublicPipeline(await pipelines.get(uuidOf(request))) });
  });

  const update = async (request: FastifyRequest) => {
    auth.authorize(principalOf(request), 'admin');
    return success({
      pipeline: toPublicPipeline(await pipelines.update(uuidOf(request), request.body)),
    });
  };
  app.patch('/api/v1/pipelines/:uuid', update);
  app.put('/api/v1/pipelines/:uuid', update);

  app.delete('/api/v1/pipelines/:uuid', async (request) => {
    auth.authorize(principalOf(request), 'admin');
    await pipelines.delete(uuidOf(request));
    return success({ message: `Pipeline ${uuidOf(request)} deleted with its history.` });
  });

  app.post('/api/v1/pipelines/:uuid/check', async (request) => {
    auth.authorize(principalOf(request), 'admin');
    return success(await checkModel(await pipelines.get(uuidOf(request))));
  });

  app.get('/api/v1/runners', () =>
    success({
      runners: Object.entries(RUNNER_DESCRIPTIONS).map(([type, description]) => ({
        type,
        description,
      })),
    }),
  );

  app.get('/api/v1/adapters', () => success({ adapters: dependencies.adapters.listUserFacing() }));

  app.get('/api/v1/connections', async (request) => {
    auth.authorize(principalOf(request), 'admin');
    return success(await dependencies.cluster.listConnections());
  });
}
