import type { RawData } from 'ws';

/** Size in bytes of a frame as `ws` hands it over (one buffer, fragments, or an ArrayBuffer). */
export function byteLength(data: RawData): number {
  if (Array.isArray(data)) return data.reduce((total, part) => total + part.byteLength, 0);
  return data.byteLength;
}

/** A text frame's content. */
export function toText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}
