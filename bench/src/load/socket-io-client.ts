import { io, type Socket } from 'socket.io-client';
import { webSocketFrameBytes } from '../frame-bytes.js';
import type { ConnectEndpoint } from '../targets/target.js';
import { BenchClient, type BenchClientOptions } from './bench-client.js';

/** The underlying `ws` socket of an engine.io transport, to cut it like a network failure. */
interface TransportWithSocket {
  ws?: { terminate?: () => void; close?: () => void };
}

/**
 * A client of the Socket.IO target with the recommended tuning (WebSocket transport only, no
 * per-message deflate). It does not reconnect by itself, so the storm controls when; a
 * reconnect with `socket.connect()` sends the session id and offset Socket.IO's connection
 * state recovery needs.
 */
export class SocketIoBenchClient extends BenchClient {
  private readonly socket: Socket;

  constructor(spec: ConnectEndpoint, options: BenchClientOptions) {
    super(options);
    // `localAddress` is passed through to the `ws` socket underneath, but is not in the typings.
    const connectOptions: Parameters<typeof io>[1] & { localAddress: string } = {
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
      autoConnect: false,
      // Per-message deflate: the server declines it, which is what turns it off.
      localAddress: options.localAddress,
      query: { session: options.session },
    };
    this.socket = io(spec.url, connectOptions);
    // Count bytes as they came on the wire: the engine.io packet is its type byte plus the
    // Socket.IO packet text the engine emits as `data`, inside one WebSocket frame.
    this.socket.io.on('open', () => {
      this.socket.io.engine.on('data', (data: unknown) => {
        const payloadBytes = typeof data === 'string' ? Buffer.byteLength(data) + 1 : 1;
        this.pendingBytes += webSocketFrameBytes(payloadBytes);
      });
    });
    this.socket.onAny((event: string, frame: unknown) => {
      const bytes = this.pendingBytes;
      this.pendingBytes = 0;
      if (frame !== null && typeof frame === 'object') {
        this.handleFrame({ ...(frame as Record<string, unknown>), type: event }, bytes);
      }
    });
    this.socket.on('connect', () => {
      this.options.progress.open += 1;
      this.markResumed();
    });
    this.socket.on('disconnect', () => {
      this.options.progress.open -= 1;
    });
  }

  /** Bytes of packets the engine received and Socket.IO has not dispatched yet. */
  private pendingBytes = 0;

  open(timeoutMs: number): Promise<void> {
    return this.connect(timeoutMs);
  }

  protected async reconnect(timeoutMs: number): Promise<void> {
    // connect() does nothing on a socket that still believes it is connected, so wait until
    // the cut has been noticed.
    if (this.socket.connected) {
      await new Promise<void>((resolve) => this.socket.once('disconnect', () => resolve()));
    }
    await this.connect(timeoutMs);
  }

  private connect(timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        cleanUp();
        reject(new Error(`not connected within ${timeoutMs} ms`));
      }, timeoutMs);
      const onConnect = (): void => {
        cleanUp();
        resolve();
      };
      const onError = (error: Error): void => {
        cleanUp();
        reject(error);
      };
      const cleanUp = (): void => {
        clearTimeout(timer);
        this.socket.off('connect', onConnect);
        this.socket.off('connect_error', onError);
      };
      this.socket.on('connect', onConnect);
      this.socket.on('connect_error', onError);
      this.socket.connect();
    });
  }

  protected sendFrame(frame: Record<string, unknown>): void {
    this.socket.emit('message', frame);
  }

  protected cut(): void {
    const transport = this.socket.io.engine?.transport as TransportWithSocket | undefined;
    const socket = transport?.ws;
    if (socket?.terminate !== undefined) socket.terminate();
    else this.socket.io.engine?.close();
  }

  close(): void {
    this.socket.disconnect();
  }
}
