import cookie from '@fastify/cookie';
import cors from '@fastify/cors';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { isOriginAllowed } from '../auth/origin-policy.js';
import { SESSION_COOKIE_NAME, extractToken } from '../auth/request-credentials.js';
import { BotwireError } from '../errors/botwire-error.js';
import { isApiPath, registerConsoleRoutes } from './console-routes.js';
import { createErrorHandler } from './error-handler.js';
import type { HttpDependencies } from './http-dependencies.js';
import './request-context.js';
import { registerApiKeyRoutes } from './routes/api-key-routes.js';
import { registerAuthRoutes } from './routes/auth-routes.js';
import { registerChatRoutes } from './routes/chat-routes.js';
import { registerConnectionRoutes } from './routes/connection-routes.js';
import { registerConversationRoutes } from './routes/conversation-routes.js';
import { registerHealthRoutes } from './routes/health-routes.js';
import { registerPipelineRoutes } from './routes/pipeline-routes.js';
import { registerRevokedKeyRoutes } from './routes/revoked-key-routes.js';
import { registerUserRoleRoutes } from './routes/user-role-routes.js';
import { registerUserRoutes } from './routes/user-routes.js';

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * The REST API on Fastify. Every route but health and login requires credentials; browsers on
 * other origins get CORS only when listed in `allowedOrigins`, and state-changing requests from
 * an unlisted Origin are refused outright (the cookie alone is no proof of intent).
 */
export async function createHttpServer(dependencies: HttpDependencies): Promise<FastifyInstance> {
  const { config, logger, auth } = dependencies;
  // Typed as Fastify's logger so the instance keeps Fastify's default type parameters.
  const httpLogger: FastifyBaseLogger = logger.child({ module: 'http' });
  const app = Fastify({
    loggerInstance: httpLogger,
    // Per-request lines would drown the chat events; failures are logged by the error handler.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: config.websocket.maxFrameBytes,
    // Responses are JSON; keep-alive sockets are closed at shutdown rather than waited for.
    forceCloseConnections: true,
  });
  app.setErrorHandler(createErrorHandler(logger));
  await app.register(cookie);
  await app.register(cors, {
    credentials: true,
    origin: (origin, callback) => {
      callback(
        null,
        origin !== undefined &&
          config.auth.allowedOrigins.some((allowed) => new URL(allowed).origin === origin),
      );
    },
  });

  app.decorateRequest('principal', null);
  app.decorateRequest('credential', null);
  app.addHook('onRequest', async (request) => {
    if (UNSAFE_METHODS.has(request.method)) {
      const allowed = isOriginAllowed({
        origin: request.headers.origin,
        host: request.headers.host,
        allowedOrigins: config.auth.allowedOrigins,
      });
      if (!allowed) {
        throw new BotwireError(
          'ORIGIN_NOT_ALLOWED',
          `Origin ${request.headers.origin ?? ''} is not allowed; add it to BOTWIRE_ALLOWED_ORIGINS.`,
        );
      }
    }
    // The console's files and pages are public; what they show comes from the API, which is not.
    if (request.routeOptions.config.public === true || !isApiPath(request.url)) return;
    const token = extractToken({
      authorization: request.headers.authorization,
      cookie: request.headers.cookie,
      cookieName: SESSION_COOKIE_NAME,
    });
    if (token === undefined) {
      throw new BotwireError(
        'NOT_AUTHENTICATED',
        'Credentials are missing: send "Authorization: Bearer <API key or session token>" or sign in at POST /api/v1/auth/login.',
      );
    }
    const principal = await auth.authenticate(token);
    if (principal === undefined) {
      throw new BotwireError(
        'AUTH_FAILED',
        'The token or API key was rejected (unknown, revoked or expired).',
      );
    }
    request.principal = principal;
    request.credential = token;
  });

  registerHealthRoutes(app, dependencies);
  registerAuthRoutes(app, dependencies);
  registerUserRoutes(app, dependencies);
  registerApiKeyRoutes(app, dependencies);
  registerPipelineRoutes(app, dependencies);
  registerChatRoutes(app, dependencies);
  registerConversationRoutes(app, dependencies);
  registerConnectionRoutes(app, dependencies);
  registerUserRoleRoutes(app, dependencies);
  registerRevokedKeyRoutes(app, dependencies);
  const consoleServed = await registerConsoleRoutes(app, config.consoleDir);
  logger.info(
    { console: consoleServed },
    consoleServed ? 'serving the web console at /' : 'web console not built',
  );
  return app;
}
