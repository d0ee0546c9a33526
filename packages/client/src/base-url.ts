/**
 * Resolves the server's base URL: the one given, or the page's origin in a browser. Throws a
 * `TypeError` when there is neither or it is not an http(s) URL, since nothing can work then.
 */
export function resolveBaseUrl(baseUrl: string | undefined): URL {
  const fallback = (globalThis as { location?: { origin?: string } }).location?.origin;
  const text = baseUrl ?? fallback;
  if (text === undefined) {
    throw new TypeError('baseUrl is required outside a browser, e.g. "http://127.0.0.1:8000".');
  }
  const url = new URL(text);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`baseUrl must be an http(s) URL, not ${JSON.stringify(text)}.`);
  }
  return url;
}

/**
 * `path` (starting with `/`) under `base`, keeping a path prefix the server may be mounted at
 * behind a proxy (`https://example.com/botwire` + `/api/v1/...`).
 */
export function joinUrl(base: URL, path: string): URL {
  const url = new URL(base);
  url.pathname = url.pathname.replace(/\/+$/, '') + path;
  url.search = '';
  url.hash = '';
  return url;
}

/** The WebSocket URL of `path` under an http(s) base: `http` becomes `ws`, `https` `wss`. */
export function joinWebSocketUrl(base: URL, path: string): URL {
  const url = joinUrl(base, path);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url;
}
