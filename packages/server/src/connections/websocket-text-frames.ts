/** The largest payload that fits the 7-bit length of a WebSocket frame header. */
const SHORT_PAYLOAD_LIMIT = 125;
/** The largest payload that fits the 16-bit extended length. */
const MEDIUM_PAYLOAD_LIMIT = 65_535;
/** FIN bit set, opcode 1 (text): every frame is one whole, unfragmented message. */
const FIN_TEXT = 0x81;

function headerLength(payloadBytes: number): number {
  if (payloadBytes <= SHORT_PAYLOAD_LIMIT) return 2;
  return payloadBytes <= MEDIUM_PAYLOAD_LIMIT ? 4 : 10;
}

/**
 * Encodes `texts` as consecutive unmasked WebSocket text frames (RFC 6455, server to client, no
 * extensions) in one buffer, so several messages to one socket leave with one write. The
 * gateway turns permessage-deflate off, which is what makes writing frames beside `ws` safe.
 */
export function encodeTextFrames(texts: readonly string[]): Buffer {
  // One frame per flush is the common case when chunks are paced: no size array for it.
  if (texts.length === 1) return encodeTextFrame(texts[0] ?? '');
  const sizes = new Array<number>(texts.length);
  let total = 0;
  for (let index = 0; index < texts.length; index += 1) {
    const size = Buffer.byteLength(texts[index] ?? '', 'utf8');
    sizes[index] = size;
    total += headerLength(size) + size;
  }
  const buffer = Buffer.allocUnsafe(total);
  let offset = 0;
  for (let index = 0; index < texts.length; index += 1) {
    offset = writeFrame(buffer, offset, texts[index] ?? '', sizes[index] ?? 0);
  }
  return buffer;
}

function encodeTextFrame(text: string): Buffer {
  const size = Buffer.byteLength(text, 'utf8');
  const buffer = Buffer.allocUnsafe(headerLength(size) + size);
  writeFrame(buffer, 0, text, size);
  return buffer;
}

/** Writes `text` (of `size` UTF-8 bytes) as one frame at `offset`; returns the offset after it. */
function writeFrame(buffer: Buffer, start: number, text: string, size: number): number {
  let offset = start;
  buffer[offset] = FIN_TEXT;
  if (size <= SHORT_PAYLOAD_LIMIT) {
    buffer[offset + 1] = size;
    offset += 2;
  } else if (size <= MEDIUM_PAYLOAD_LIMIT) {
    buffer[offset + 1] = 126;
    buffer.writeUInt16BE(size, offset + 2);
    offset += 4;
  } else {
    buffer[offset + 1] = 127;
    // Payloads are far below 2^53 bytes, so the high half is the quotient by 2^32.
    buffer.writeUInt32BE(Math.floor(size / 0x1_0000_0000), offset + 2);
    buffer.writeUInt32BE(size >>> 0, offset + 6);
    offset += 10;
  }
  offset += buffer.write(text, offset, size, 'utf8');
  return offset;
}
