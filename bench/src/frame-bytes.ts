/**
 * Bytes a server-to-client WebSocket frame with `payloadBytes` of payload takes on the wire:
 * the payload plus the RFC 6455 header (2 bytes, plus 2 or 8 for the extended length; server
 * frames are not masked). TCP/IP headers are not counted: they depend on segmentation, not on
 * the protocol.
 */
export function webSocketFrameBytes(payloadBytes: number): number {
  if (payloadBytes < 126) return payloadBytes + 2;
  if (payloadBytes < 65_536) return payloadBytes + 4;
  return payloadBytes + 10;
}
