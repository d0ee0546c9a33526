import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { BotwireError } from '../errors/botwire-error.js';
import type { Logger } from '../logging/logger.js';
import { failure } from './envelope.js';

/** Where the monorepo builds the widget (`npm run build:widget`), seen from `server/{src,dist}/http`. */
export const DEFAULT_WIDGET_FILE = fileURLToPath(
  new URL('../../../web/dist-widget/widget.js', import.meta.url),
);

const WIDGET_API_PREFIX = '/api/v1/widget/';

/** Whether a request URL is one of the widget's own API routes (called cross-origin). */
export function isWidgetApiPath(url: string): boolean {
  return url.startsWith(WIDGET_API_PREFIX);
}

/**
 * CORS of the widget's routes: any page may call them, without cookies. The routes decide from
 * the Origin whether the page's site is one of the pipeline's allowed origins, and answer a
 * refusal the widget can read and show.
 */
export const WIDGET_CORS_OPTIONS = {
  origin: true,
  credentials: false,
  methods: ['GET', 'POST'],
  allowedHeaders: ['content-type', 'authorization'],
  exposedHeaders: ['retry-after'],
  maxAge: 600,
};

/** How long browsers and CDNs keep `/widget.js` before revalidating (its ETag makes that cheap). */
const WIDGET_MAX_AGE_SECONDS = 300;

interface WidgetScript {
  plain: Buffer;
  gzip: Buffer;
  etag: string;
}

function loadScript(file: string): WidgetScript | undefined {
  let plain: Buffer;
  try {
    plain = readFileSync(file);
  } catch {
    return undefined;
  }
  const etag = `"${createHash('sha256').update(plain).digest('base64url').slice(0, 27)}"`;
  return { plain, gzip: gzipSync(plain, { level: 9 }), etag };
}

/**
 * Serves the embeddable widget at `/widget.js`, read once at start. Pages on other sites load
 * it with a plain `<script src>`, so it is public, may be embedded cross-origin
 * (`Cross-Origin-Resource-Policy: cross-origin`, `Access-Control-Allow-Origin: *`), cached
 * briefly with an ETag, and sent gzipped to browsers that accept it.
 */
export function registerWidgetScriptRoute(
  app: FastifyInstance,
  options: { logger: Logger; file?: string },
): void {
  const file = options.file ?? DEFAULT_WIDGET_FILE;
  const script = loadScript(file);
  options.logger.info(
    { widget: script !== undefined, file },
    script === undefined ? 'widget not built' : 'serving the widget at /widget.js',
  );
  app.get('/widget.js', { config: { public: true } }, (request, reply) => {
    if (script === undefined) {
      return reply
        .status(404)
        .send(
          failure(
            new BotwireError(
              'NOT_FOUND',
              'The widget is not built; run "npm run build:web" (it builds the widget too).',
            ),
          ),
        );
    }
    void reply
      .header('content-type', 'text/javascript; charset=utf-8')
      .header('cache-control', `public, max-age=${WIDGET_MAX_AGE_SECONDS}`)
      .header('etag', script.etag)
      .header('vary', 'accept-encoding')
      .header('access-control-allow-origin', '*')
      .header('cross-origin-resource-policy', 'cross-origin');
    if (request.headers['if-none-match'] === script.etag) return reply.status(304).send();
    const gzip = /\bgzip\b/.test(request.headers['accept-encoding'] ?? '');
    if (gzip) void reply.header('content-encoding', 'gzip');
    return reply.send(gzip ? script.gzip : script.plain);
  });
}
