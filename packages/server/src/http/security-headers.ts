import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

/**
 * The Content-Security-Policy of every response, the console's page included. The built console
 * (Vite, React) loads only its own module scripts and stylesheets and talks to its own origin
 * over fetch and WebSocket, so everything is `'self'`. Styles also allow inline ones: the console
 * applies inline styles (Radix's scroll lock and positioning), which Chromium blocks under
 * `style-src 'self'` (checked with the console's flows); styles cannot run code.
 * Nothing may frame the console (clickjacking of its admin actions).
 */
export const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  scriptSrcAttr: ["'none'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
} as const;

/** HSTS lifetime when the server is known to be reached over HTTPS. */
const HSTS_MAX_AGE_SECONDS = 180 * 24 * 3_600;

/**
 * Security headers on every response (console and API) through @fastify/helmet: the CSP above,
 * `X-Frame-Options: DENY`, `X-Content-Type-Options: nosniff`, `Referrer-Policy: no-referrer`.
 * HSTS only when `secureCookie` says the server is reached over HTTPS: sent over plain HTTP it
 * is ignored, and a wrong one would lock a host name out of HTTP for months.
 */
export async function registerSecurityHeaders(
  app: FastifyInstance,
  options: { https: boolean },
): Promise<void> {
  await app.register(helmet, {
    global: true,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: Object.fromEntries(
        Object.entries(CONTENT_SECURITY_POLICY).map(([name, sources]) => [name, [...sources]]),
      ),
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: options.https
      ? { maxAge: HSTS_MAX_AGE_SECONDS, includeSubDomains: false }
      : false,
  });
}
