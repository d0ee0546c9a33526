import type { FastifyInstance } from 'fastify';
import type { HttpDependencies } from '../http-dependencies.js';

/** Liveness, readiness and Prometheus metrics. */
export function registerHealthRoutes(app: FastifyInstance, dependencies: HttpDependencies): void {
  app.get('/healthz', { config: { public: true } }, () => ({ status: 'ok' }));

  app.get('/readyz', { config: { public: true } }, async (_request, reply) => {
    const database = await dependencies.store.ping();
    const { cluster } = dependencies;
    const ready = database && cluster.available && dependencies.isReady();
    return reply.status(ready ? 200 : 503).send({
      status: ready ? 'ready' : 'not ready',
      database: database ? 'ok' : 'unreachable',
      // Only in cluster mode: a single node has no Redis to report on.
      ...(cluster.clustered
        ? { cluster: cluster.available ? 'ok' : 'unreachable', node_id: cluster.nodeId }
        : {}),
      accepting: dependencies.isReady(),
    });
  });

  app.get('/metrics', async (_request, reply) => {
    const { registry } = dependencies.metrics;
    return reply.header('content-type', registry.contentType).send(await registry.metrics());
  });
}
