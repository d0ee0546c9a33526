/** A zod schema of either flavour: classic and `zod/mini` schemas both parse with `safeParse`. */
interface JsonColumnSchema<T> {
  safeParse(value: unknown): { success: true; data: T } | { success: false };
}

/**
 * Reads a JSON text column, validated by `schema`. Returns `fallback` when the text is not JSON
 * or does not match: one corrupt row must degrade that row, never crash the caller reading it.
 */
export function readJsonColumn<T>(
  text: string | null,
  schema: JsonColumnSchema<T>,
  fallback: T,
): T {
  if (text === null) return fallback;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return fallback;
  }
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : fallback;
}
