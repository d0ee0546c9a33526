import path from 'node:path';
import cookie from '@fastify/cookie';
import cors from '@fastify/cors';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { DEFAULT_CONSOLE_DIR, registerConsoleRoutes } from './console-routes.js';
import { createErrorHandler } from './error-handler.js';
import { answerClientError, answerFrameworkError } from './framework-errors.js';
import type { HttpDependencies } from './http-dependencies.js';
import './request-context.js';
import { registerJsonParser } from './request-parsing.js';
import { registerAuthentication, registerRouteTable } from './route-access.js';
import { registerApiKeyRoutes } from './routes/api-key-routes.js';
import { registerAuthRoutes } from './routes/auth-routes.js';
import { registerChatRoutes } from './routes/chat-routes.js';
import { registerConnectionRoutes } from './routes/connection-routes.js';
import { registerConversationRoutes } from './routes/conversation-routes.js';
import { registerHealthRoutes } from './routes/health-routes.js';
import { registerImageRoutes } from './routes/image-routes.js';
import { registerPipelineRoutes } from './routes/pipeline-routes.js';
import { registerRevokedKeyRoutes } from './routes/revoked-key-routes.js';
import { registerUserRoleRoutes } from './routes/user-role-routes.js';
import { registerUserRoutes } from './routes/user-routes.js';
import { registerWidgetRoutes } from './routes/widget-routes.js';
import {
  WIDGET_CORS_OPTIONS,
  isWidgetApiPath,
  registerWidgetScriptRoute,
} from './widget-script-route.js';
import { registerSecurityHeaders } from './security-headers.js';

/**
 * The REST API on Fastify. Every route requires credentials unless its definition declares it
 * public (health, login, the console's files); browsers on
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
    frameworkErrors: answerFrameworkError,
    clientErrorHandler: answerClientError,
  });
  registerJsonParser(app);
  app.setErrorHandler(createErrorHandler(logger));
  registerRouteTable(app, httpLogger);
  await registerSecurityHeaders(app, { https: config.auth.secureCookie });
  await app.register(cookie);
  const consoleCors = {
    credentials: true,
    // The default is GET,HEAD,POST; the API also changes and deletes (pipelines, keys, users).
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    origin: (origin: string | undefined, callback: (error: null, allow: boolean) => void) => {
      callback(
        null,
        origin !== undefined &&
          config.auth.allowedOrigins.some((allowed) => new URL(allowed).origin === origin),
      );
    },
  };
  await app.register(cors, {
    // The widget's routes are called by pages on any site, without cookies; who may is decided
    // per pipeline by its allowed origins, in the routes themselves.
    delegator: (request, callback) => {
      callback(null, isWidgetApiPath(request.url ?? '') ? WIDGET_CORS_OPTIONS : consoleCors);
    },
  });

  app.decorateRequest('principal', null);
  app.decorateRequest('credential', null);
  registerAuthentication(app, {
    auth,
    allowedOrigins: config.auth.allowedOrigins,
    widgets: dependencies.widgets,
  });

  registerHealthRoutes(app, dependencies);
  registerAuthRoutes(app, dependencies);
  registerUserRoutes(app, dependencies);
  registerApiKeyRoutes(app, dependencies);
  registerPipelineRoutes(app, dependencies);
  registerChatRoutes(app, dependencies);
  registerConversationRoutes(app, dependencies);
  await registerImageRoutes(app, dependencies);
  registerConnectionRoutes(app, dependencies);
  registerUserRoleRoutes(app, dependencies);
  registerRevokedKeyRoutes(app, dependencies);
  registerWidgetRoutes(app, dependencies);
  registerWidgetScriptRoute(app, { logger });
  const consoleServed = await registerConsoleRoutes(app, config.consoleDir);
  logger.info(
    { console: consoleServed, consoleDir: path.resolve(config.consoleDir ?? DEFAULT_CONSOLE_DIR) },
    consoleServed ? 'serving the web console at /' : 'web console not built',
  );
  return app;
}
