import type { FastifyBaseLogger, FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import type { AuthService } from '../auth/auth-service.js';
import { isOriginAllowed } from '../auth/origin-policy.js';
import { SESSION_COOKIE_NAME, extractToken } from '../auth/request-credentials.js';
import { BotwireError } from '../errors/botwire-error.js';
import { isVisitorToken } from '../widget/visitor-token.js';
import type { WidgetService } from '../widget/widget-service.js';
import './request-context.js';

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const API_NAMESPACE = /^\/(api|healthz|readyz|metrics)(\/|$)/;

/**
 * The path of a request URL as the router sees it: without the query, percent-decoded once
 * (`/%61pi/v1` is `/api/v1`). A malformed escape is left as it is; no route matches it anyway.
 */
export function decodedPathOf(url: string): string {
  const [pathname = ''] = url.split('?', 1);
  try {
    return decodeURIComponent(pathname);
  } catch {
    return pathname;
  }
}

/**
 * Whether a request that matched no route belongs to the API (credentials first, then a JSON
 * 404) rather than to the console (its index page, public). Only used for misses: requests that
 * match a route are judged by the route's own declaration.
 */
export function isApiNamespace(url: string): boolean {
  return API_NAMESPACE.test(decodedPathOf(url));
}

/** A row of the route table logged at start: what is reachable, and what without credentials. */
export interface RouteAccess {
  method: string;
  url: string;
  public: boolean;
  /** Whether a widget visitor token is accepted (only its own conversation's routes). */
  visitor: boolean;
}

/**
 * Marks every route registered in `scope` (and the plugins it registers) as public. For routes
 * whose definitions are not ours to write, such as the static files of the console.
 */
export function declarePublicRoutes(scope: FastifyInstance): void {
  scope.addHook('onRoute', (route) => {
    route.config = { ...route.config, public: true };
  });
}

function needsCredentials(request: FastifyRequest): boolean {
  // A miss has no route to ask; API misses still want credentials so that an unauthenticated
  // caller cannot tell which API paths exist, while console paths get the console.
  if (request.is404) return isApiNamespace(request.url);
  return request.routeOptions.config.public !== true;
}

/**
 * Keeps the route table and logs it at debug level once the server is ready: what is reachable,
 * and what without credentials. Register it before any route or plugin that adds routes.
 */
export function registerRouteTable(app: FastifyInstance, logger: FastifyBaseLogger): void {
  const routes: RouteOptions[] = [];
  app.addHook('onRoute', (route) => {
    // Preflights carry no credentials by definition (Fetch standard); @fastify/cors answers the
    // allowed ones in its own hook, and this route only turns the others into a 404.
    if (route.method === 'OPTIONS' && route.url === '*') {
      route.config = { ...route.config, public: true };
    }
    routes.push(route);
  });
  app.addHook('onReady', (done) => {
    const table: RouteAccess[] = routes.flatMap((route) =>
      [route.method].flat().map((method) => ({
        method,
        url: route.url,
        public: route.config?.public === true,
        visitor: route.config?.visitor === true,
      })),
    );
    logger.debug({ routes: table }, 'HTTP routes');
    done();
  });
}

/**
 * Deny by default: every route needs credentials unless its definition says
 * `config: { public: true }`. The decision is made on the route the router matched, after it
 * decoded the path, never on the raw URL, so `/%6detrics` is `/metrics` for this check too.
 * Before that, state-changing requests from an Origin that is not allowed are refused, public
 * route or not (the cookie alone is no proof of intent).
 */
export function registerAuthentication(
  app: FastifyInstance,
  options: { auth: AuthService; allowedOrigins: readonly string[]; widgets: WidgetService },
): void {
  const { auth, allowedOrigins, widgets } = options;
  app.addHook('onRequest', async (request) => {
    const routeConfig = request.is404 ? undefined : request.routeOptions.config;
    if (UNSAFE_METHODS.has(request.method) && routeConfig?.widget !== true) {
      const allowed = isOriginAllowed({
        origin: request.headers.origin,
        host: request.headers.host,
        allowedOrigins,
      });
      if (!allowed) {
        throw new BotwireError(
          'ORIGIN_NOT_ALLOWED',
          `Origin ${request.headers.origin ?? ''} is not allowed; add it to BOTWIRE_ALLOWED_ORIGINS.`,
        );
      }
    }
    if (!needsCredentials(request)) return;
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
    if (isVisitorToken(token)) {
      // Deny by default for visitors too: only routes that declare it take a visitor token.
      if (routeConfig?.visitor !== true) {
        throw new BotwireError(
          'FORBIDDEN',
          "A visitor token only opens the widget's own conversation (/api/v1/widget/...), nothing else.",
        );
      }
      const visitor = await widgets.authenticateVisitor(token, {
        origin: request.headers.origin,
        host: request.headers.host,
      });
      request.principal = visitor.principal;
      request.credential = token;
      return;
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
}
