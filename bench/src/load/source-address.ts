/**
 * The loopback source address for connection `index`: 127.0.0.1 .. 127.0.0.N in turn. Each
 * source address has its own ephemeral port range (about 28 000 ports), so spreading connections
 * lets tens of thousands of them reach one server port.
 */
export function sourceAddress(index: number, addresses: number): string {
  const count = Math.max(1, Math.min(254, Math.floor(addresses)));
  return `127.0.0.${1 + (index % count)}`;
}
