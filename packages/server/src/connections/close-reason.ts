/** A close frame carries at most 125 payload bytes: two for the code, 123 for the reason. */
export const MAX_CLOSE_REASON_BYTES = 123;

/**
 * `text` cut to fit a WebSocket close frame: at most 123 bytes of UTF-8, cut on a character
 * boundary. `ws` throws on a longer reason, so every close reason goes through here; cutting by
 * characters is not enough, since one character can take up to four bytes.
 */
export function closeReason(text: string): string {
  // Fast path: every character takes at least one byte, and at most three per UTF-16 unit.
  if (text.length * 3 <= MAX_CLOSE_REASON_BYTES) return text;
  if (Buffer.byteLength(text, 'utf8') <= MAX_CLOSE_REASON_BYTES) return text;
  let bytes = 0;
  let end = 0;
  for (const character of text) {
    const size = Buffer.byteLength(character, 'utf8');
    if (bytes + size > MAX_CLOSE_REASON_BYTES) break;
    bytes += size;
    end += character.length;
  }
  return text.slice(0, end);
}
