/**
 * Chunk `index` of a bench reply, exactly as Botwire's `bench` runner builds it: the index and a
 * colon, padded with dots to `bytes` ASCII characters (cut to `bytes` when the label is longer).
 * The reference servers use it so all three targets send byte-identical text.
 */
export function benchChunk(index: number, bytes: number): string {
  const label = `${index}:`;
  return label.length >= bytes ? label.slice(0, bytes) : label.padEnd(bytes, '.');
}

/**
 * The chunk index a bench delta starts with (`"17:...."` is 17), or undefined when it does not
 * start with digits. Only the digits are read, so a chunk cut short (`"1999"` for 4 bytes) still
 * parses; indexes are unambiguous as long as they have fewer digits than `chunk_bytes`.
 */
export function benchChunkIndex(delta: string): number | undefined {
  let end = 0;
  while (end < delta.length) {
    const code = delta.charCodeAt(end);
    if (code < 48 || code > 57) break;
    end += 1;
  }
  return end === 0 ? undefined : Number(delta.slice(0, end));
}
