import WebSocket from 'ws';
import { webSocketFrameBytes } from '../frame-bytes.js';
import type { ConnectEndpoint } from '../targets/target.js';
import { BenchClient, type BenchClientOptions } from './bench-client.js';

/**
 * A client speaking Botwire's frames over a plain WebSocket (Botwire and the minimal ws server).
 * Ready on the `connected` frame; resumes by reconnecting with `last_seq`, as docs/websocket.md
 * tells clients to.
 */
export class WebSocketBenchClient extends BenchClient {
  private socket: WebSocket | undefined;

  constructor(
    private readonly spec: ConnectEndpoint,
    options: BenchClientOptions,
  ) {
    super(options);
  }

  open(timeoutMs: number): Promise<void> {
    return this.connect(timeoutMs);
  }

  protected reconnect(timeoutMs: number): Promise<void> {
    return this.connect(timeoutMs);
  }

  private url(): string {
    const { session, streamMode } = this.options;
    let url = `${this.spec.url}&session=${encodeURIComponent(session)}&stream=${streamMode}`;
    if (this.lastSeq !== undefined) url += `&last_seq=${this.lastSeq}`;
    return url;
  }

  private connect(timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(this.url(), {
        headers: this.spec.headers,
        localAddress: this.options.localAddress,
        perMessageDeflate: false,
        handshakeTimeout: timeoutMs,
      });
      this.socket = socket;
      let ready = false;
      const timer = setTimeout(() => {
        if (!ready) {
          socket.terminate();
          reject(new Error(`not connected within ${timeoutMs} ms`));
        }
      }, timeoutMs);
      socket.on('message', (data: Buffer, isBinary: boolean) => {
        // A cut socket may still hand over frames it had buffered; a real client would have
        // dropped it, and so does this one.
        if (isBinary || this.socket !== socket) return;
        const text = data.toString('utf8');
        const frame = JSON.parse(text) as Record<string, unknown>;
        if (!ready && frame.type === 'connected') {
          ready = true;
          clearTimeout(timer);
          this.options.progress.open += 1;
          resolve();
        }
        this.handleFrame(frame, webSocketFrameBytes(data.length));
      });
      socket.on('error', (error) => {
        if (!ready) {
          clearTimeout(timer);
          reject(error);
        }
      });
      socket.on('close', (code, reason) => {
        if (ready) {
          this.options.progress.open -= 1;
          ready = false;
        } else {
          clearTimeout(timer);
          reject(new Error(`closed before ready: ${code} ${String(reason)}`));
        }
      });
    });
  }

  protected sendFrame(frame: Record<string, unknown>): void {
    this.socket?.send(JSON.stringify(frame));
  }

  protected cut(): void {
    this.socket?.terminate();
  }

  close(): void {
    const socket = this.socket;
    if (socket === undefined) return;
    if (socket.readyState === WebSocket.OPEN) socket.close();
    else socket.terminate();
  }
}
