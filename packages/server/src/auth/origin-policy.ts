/**
 * Browser Origin checks for REST and WebSocket upgrades. Browsers attach cookies to cross-site
 * WebSocket handshakes (no CORS preflight protects them), so a page on another site could ride
 * a logged-in console session unless the Origin is checked.
 */

const DEFAULT_PORTS: Readonly<Record<string, string>> = { 'http:': '80', 'https:': '443' };

/** `host[:port]` as sent in a Host header, including bracketed IPv6. */
const HOST_HEADER = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(?::([0-9]{1,5}))?$/;

/** The URL of an http(s) Origin, or undefined when it is `null`, opaque or malformed. */
function parseOrigin(origin: string): URL | undefined {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return undefined;
  }
  // Other schemes have an opaque origin ("null") that would compare equal to one another.
  return url.protocol in DEFAULT_PORTS ? url : undefined;
}

/** Normalized hostname and explicit port (or undefined) of a Host header. */
function parseHostHeader(host: string): { hostname: string; port: string | undefined } | undefined {
  const match = HOST_HEADER.exec(host.trim());
  if (!match?.[1]) return undefined;
  try {
    // The URL parser lowercases, normalizes IPv6 and punycode the same way it did for the Origin.
    return { hostname: new URL(`http://${match[1]}`).hostname, port: match[2] };
  } catch {
    return undefined;
  }
}

/**
 * Whether the request's Origin counts as the server itself. The scheme is ignored because TLS may
 * end at a proxy; ports must agree. A Host without a port means the scheme's default port, so the
 * Origin must not name one either.
 */
function isSameOrigin(origin: URL, host: string | undefined): boolean {
  if (host === undefined) return false;
  const parsed = parseHostHeader(host);
  if (!parsed || parsed.hostname !== origin.hostname) return false;
  if (parsed.port === undefined) return origin.port === '';
  const originPort = origin.port === '' ? DEFAULT_PORTS[origin.protocol] : origin.port;
  return Number(parsed.port) === Number(originPort);
}

/**
 * Whether a request with this Origin may proceed. Requests without an Origin come from
 * non-browser clients and are allowed; a browser must come from the server's own origin or one
 * in `allowedOrigins`. A `null` or malformed Origin is refused.
 */
export function isOriginAllowed(options: {
  origin: string | undefined;
  host: string | undefined;
  allowedOrigins: readonly string[];
}): boolean {
  const { origin, host, allowedOrigins } = options;
  if (origin === undefined) return true;
  const url = parseOrigin(origin);
  if (!url) return false;
  if (isSameOrigin(url, host)) return true;
  return allowedOrigins.some((allowed) => parseOrigin(allowed)?.origin === url.origin);
}
