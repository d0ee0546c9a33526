/** Name of the cookie carrying the browser console's session token. */
export const SESSION_COOKIE_NAME = 'botwire_session';

const BEARER = /^bearer[ \t]+(\S+)[ \t]*$/i;

/**
 * The value of cookie `name` in a raw `Cookie` header, or undefined. Tolerates stray spaces,
 * quoted values, percent-encoding and junk pairs, since any browser or proxy may have sent it.
 */
export function readCookie(header: string, name: string): string | undefined {
  for (const pair of header.split(';')) {
    const equals = pair.indexOf('=');
    if (equals === -1) continue;
    if (pair.slice(0, equals).trim() !== name) continue;
    let value = pair.slice(equals + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
      value = value.slice(1, -1);
    }
    if (value.includes('%')) {
      try {
        value = decodeURIComponent(value);
      } catch {
        // Not valid percent-encoding: keep the raw text; authentication will just fail on it.
      }
    }
    // Browsers send the most specific cookie first, so the first non-empty one wins.
    if (value !== '') return value;
  }
  return undefined;
}

/**
 * The credential of a request: an `Authorization: Bearer` token first (API clients), otherwise
 * the session cookie (the browser console). Undefined when neither is present.
 */
export function extractToken(options: {
  authorization?: string | undefined;
  cookie?: string | undefined;
  cookieName: string;
}): string | undefined {
  const { authorization, cookie, cookieName } = options;
  if (typeof authorization === 'string') {
    const match = BEARER.exec(authorization.trim());
    if (match?.[1]) return match[1];
  }
  if (typeof cookie === 'string') return readCookie(cookie, cookieName);
  return undefined;
}
