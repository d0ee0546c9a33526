import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { BotwireError } from '../errors/botwire-error.js';
import { failure } from './envelope.js';
import { declarePublicRoutes, isApiNamespace } from './route-access.js';

/** Where the monorepo builds the console, seen from this file in `packages/server/{src,dist}/http`. */
export const DEFAULT_CONSOLE_DIR = fileURLToPath(new URL('../../../web/dist', import.meta.url));

/**
 * Serves the built web console at `/` and answers unknown non-API GETs that want HTML with its
 * index page, so the console's client-side routes survive a reload. Returns whether a console
 * was found; without one, the API works as before and `/` says how to build it.
 */
export async function registerConsoleRoutes(
  app: FastifyInstance,
  consoleDir: string | undefined,
): Promise<boolean> {
  const root = path.resolve(consoleDir ?? DEFAULT_CONSOLE_DIR);
  const available = existsSync(path.join(root, 'index.html'));
  const notFound = (request: FastifyRequest, reply: FastifyReply) =>
    reply
      .status(404)
      .send(
        failure(
          new BotwireError(
            'NOT_FOUND',
            `Nothing at ${request.method} ${request.url}; see docs/websocket.md for the API.`,
          ),
        ),
      );

  if (!available) {
    app.get('/', { config: { public: true } }, (_request, reply) =>
      reply.status(404).send(
        failure(
          new BotwireError(
            'NOT_FOUND',
            // The server's own paths are nobody's business; the operator finds them in the log.
            'The web console is not built; run "npm run build:web" or set BOTWIRE_CONSOLE_DIR.',
          ),
        ),
      ),
    );
    app.setNotFoundHandler(notFound);
    return false;
  }

  // The console's files and pages are public; what they show comes from the API, which is not.
  await app.register(async (scope) => {
    declarePublicRoutes(scope);
    await scope.register(fastifyStatic, {
      root,
      prefix: '/',
      wildcard: false,
      index: ['index.html'],
    });
    scope.setNotFoundHandler((request, reply) => {
      const wantsPage =
        request.method === 'GET' &&
        !isApiNamespace(request.url) &&
        (request.headers.accept ?? '').includes('text/html');
      return wantsPage ? reply.sendFile('index.html') : notFound(request, reply);
    });
  });
  return true;
}
