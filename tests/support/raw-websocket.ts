import { randomBytes } from 'node:crypto';
import net from 'node:net';

/** A TCP socket after a WebSocket upgrade, for writing frames byte by byte (unfinished ones too). */
export interface RawWebSocket {
  socket: net.Socket;
  /** Resolves when the server closes the TCP connection. */
  ended: Promise<void>;
  /** Everything received after the 101 response. */
  received(): Buffer;
}

/** Options for {@link openRawWebSocket}. */
export interface RawWebSocketOptions {
  headers?: Record<string, string>;
  /** Source address, e.g. 127.0.0.2, to look like another client. */
  localAddress?: string;
}

/**
 * Upgrades a plain TCP connection to `url` (ws://host:port/path) and resolves with the socket,
 * or rejects with the HTTP status line when the server refuses the upgrade.
 */
export function openRawWebSocket(
  url: string,
  options: RawWebSocketOptions = {},
): Promise<RawWebSocket> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect({
      host: target.hostname,
      port: Number(target.port),
      ...(options.localAddress === undefined ? {} : { localAddress: options.localAddress }),
    });
    let buffered = Buffer.alloc(0);
    let upgraded = false;
    const ended = new Promise<void>((resolveEnded) => socket.once('close', () => resolveEnded()));
    socket.on('error', (error) => {
      if (!upgraded) reject(error);
    });
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      if (upgraded) return;
      const end = buffered.indexOf('\r\n\r\n');
      if (end === -1) return;
      const head = buffered.subarray(0, end).toString('latin1');
      buffered = buffered.subarray(end + 4);
      const statusLine = head.split('\r\n')[0] ?? '';
      if (!statusLine.startsWith('HTTP/1.1 101')) {
        socket.destroy();
        reject(new Error(statusLine));
        return;
      }
      upgraded = true;
      resolve({ socket, ended, received: () => buffered });
    });
    const headers = {
      host: target.host,
      upgrade: 'websocket',
      connection: 'Upgrade',
      'sec-websocket-key': randomBytes(16).toString('base64'),
      'sec-websocket-version': '13',
      ...options.headers,
    };
    socket.write(
      `GET ${target.pathname}${target.search} HTTP/1.1\r\n${Object.entries(headers)
        .map(([name, value]) => `${name}: ${value}`)
        .join('\r\n')}\r\n\r\n`,
    );
  });
}

/**
 * The header of a masked client frame (opcode 1 is text, 2 binary) announcing `payloadLength`
 * bytes, followed by its mask key. Write the payload masked with {@link maskPayload}.
 */
export function frameHeader(payloadLength: number, opcode = 1, mask = Buffer.alloc(4)): Buffer {
  const first = 0x80 | opcode;
  if (payloadLength < 126) return Buffer.concat([Buffer.from([first, 0x80 | payloadLength]), mask]);
  if (payloadLength < 65_536) {
    const header = Buffer.alloc(4);
    header.writeUInt8(first, 0);
    header.writeUInt8(0x80 | 126, 1);
    header.writeUInt16BE(payloadLength, 2);
    return Buffer.concat([header, mask]);
  }
  const header = Buffer.alloc(10);
  header.writeUInt8(first, 0);
  header.writeUInt8(0x80 | 127, 1);
  header.writeBigUInt64BE(BigInt(payloadLength), 2);
  return Buffer.concat([header, mask]);
}

/** A whole masked client frame (the all-zero mask, so the payload goes out as is). */
export function clientFrame(payload: Buffer, opcode = 1): Buffer {
  return Buffer.concat([frameHeader(payload.length, opcode), payload]);
}
