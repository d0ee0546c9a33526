import * as z from 'zod/mini';

const count = z.int().check(z.nonnegative());

/**
 * What the server measured and the provider reported about one finished reply. Times are in
 * milliseconds from the moment the user message was stored (so they include any wait in the
 * conversation's queue). Token counts and the finish reason are null when the runner has none
 * (echo, bench) or the provider did not report them.
 */
export const replyFiguresSchema = z.object({
  /** Until the first chunk of text left the server; null when no text came at all. */
  first_chunk_ms: z.nullable(count),
  /** Until the reply was finished and stored. */
  duration_ms: count,
  /** Text chunks sent (after coalescing), not counting the final frame. */
  chunks: count,
  /** Unicode characters of the reply's text. */
  characters: count,
  /** Prompt tokens, as the provider counted them. */
  input_tokens: z.nullable(count),
  /** Reply tokens, as the provider counted them. */
  output_tokens: z.nullable(count),
  /** Why the model stopped (`stop`, `length`, `content-filter`…), as the provider said. */
  finish_reason: z.nullable(z.string()),
});
export type ReplyFigures = z.infer<typeof replyFiguresSchema>;
