interface CryptoLike {
  randomUUID?: () => string;
  getRandomValues<TArray extends Uint8Array>(array: TArray): TArray;
}

/**
 * A fresh random `client_id` (a version-4 UUID). Browsers offer `crypto.randomUUID` only in
 * secure contexts, and a self-hosted server is often opened over plain http on a LAN address,
 * so the UUID is built from `getRandomValues` (available everywhere) when it is missing.
 */
export function createClientId(): string {
  const crypto = (globalThis as { crypto: CryptoLike }).crypto;
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  // RFC 9562 section 5.4: version 4 in the high nibble of byte 6, variant 10 in byte 8.
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
