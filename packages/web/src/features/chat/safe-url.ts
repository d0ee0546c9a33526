/** The only link schemes a reply may use; anything else (javascript:, data:, relative) is dropped. */
const SAFE_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);

/**
 * The URL itself when it is an absolute http(s) or mailto URL, otherwise `undefined`. Replies
 * come from a model that may repeat whatever a user or a web page fed it, so a link must not be
 * able to run script (`javascript:`), carry a document (`data:`) or point into the console
 * (relative URLs would act with the admin's session).
 */
export function safeUrl(url: string): string | undefined {
  // Browsers ignore leading control characters and spaces (`\u0000javascript:`), so strip them
  // before parsing rather than trusting the raw string.
  const cleaned = url.replace(/^[\s\p{Cc}]+/u, '');
  let parsed: URL;
  try {
    parsed = new URL(cleaned);
  } catch {
    return undefined;
  }
  return SAFE_PROTOCOLS.has(parsed.protocol) ? cleaned : undefined;
}
