import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { CLOSE_CODES } from '@botwire/protocol';
import type { WebSocket } from 'ws';
import type { Config } from '../config/config.js';
import type { Metrics } from '../metrics/metrics.js';
import { Refusal, refuse, rejectUpgrade } from './connection-refusal.js';
import { PendingSockets } from './pending-sockets.js';
import { PreAuthLimit } from './pre-auth-limit.js';
import type { RefusalLog } from './refusal-log.js';

/** Options for {@link PendingGate}. */
export interface PendingGateOptions {
  websocket: Config['websocket'];
  metrics: Metrics;
  refusalLog: RefusalLog;
}

/** A socket let through the gate, not yet authenticated. */
export interface PendingSocket {
  remoteAddress: string;
  /** Counts what the client sends until it is authenticated. */
  preAuth: PreAuthLimit;
  /** Ends the socket's pending state (also done when it closes). */
  release: () => void;
}

/**
 * What a socket goes through between the HTTP upgrade and its authentication: a cap on such
 * sockets in total and per remote address (checked before the upgrade, so a refusal costs a
 * status line), and a cap on the bytes each may send before it is authenticated.
 */
export class PendingGate {
  private readonly pending: PendingSockets;

  constructor(private readonly options: PendingGateOptions) {
    this.pending = new PendingSockets({
      maxTotal: options.websocket.maxPendingConnections,
      maxPerAddress: options.websocket.maxPendingPerAddress,
      onChange: (total) => options.metrics.pendingConnections.set(total),
    });
  }

  /** Whether an upgrade may go ahead; when not, it is answered 503 and the refusal counted. */
  admitUpgrade(request: IncomingMessage, socket: Duplex): boolean {
    const remoteAddress = remoteAddressOf(request);
    const full = this.pending.refusal(remoteAddress);
    if (full === undefined) return true;
    this.options.metrics.errors.inc({ code: 'CONNECTION_LIMIT' });
    this.options.refusalLog.refused({
      code: 'CONNECTION_LIMIT',
      remoteAddress,
      reason:
        full === 'total'
          ? 'too many sockets are waiting to authenticate'
          : 'too many sockets from this address are waiting to authenticate',
    });
    rejectUpgrade(socket, 503, 'Service Unavailable', { 'Retry-After': '1' });
    return false;
  }

  /**
   * Counts an upgraded socket as pending and starts counting its bytes. Call right after
   * {@link admitUpgrade} said yes, with nothing awaited in between (ws upgrades synchronously).
   */
  enter(upgrade: {
    request: IncomingMessage;
    websocket: WebSocket;
    transport: Duplex;
    head: Buffer;
  }): PendingSocket {
    const { websocket } = upgrade;
    const remoteAddress = remoteAddressOf(upgrade.request);
    const release = this.pending.acquire(remoteAddress);
    websocket.once('close', release);
    const limit = this.options.websocket.maxPreAuthBytes;
    const preAuth = new PreAuthLimit({
      transport: upgrade.transport,
      limit,
      initialBytes: upgrade.head.length,
      onExceeded: () => {
        const refusal = new Refusal(
          'FRAME_TOO_LARGE',
          `More than ${limit} bytes arrived before authentication; send only the authenticate frame first and wait for "connected".`,
          CLOSE_CODES.MESSAGE_TOO_BIG,
        );
        this.options.metrics.errors.inc({ code: refusal.code });
        this.options.refusalLog.refused({
          code: refusal.code,
          closeCode: refusal.closeCode,
          remoteAddress,
          reason: refusal.message,
        });
        refuse(websocket, refusal);
      },
      onFlood: () => websocket.terminate(),
    });
    return { remoteAddress, preAuth, release };
  }
}

function remoteAddressOf(request: IncomingMessage): string {
  return request.socket.remoteAddress ?? 'unknown';
}
