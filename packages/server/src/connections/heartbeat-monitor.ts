import { CLOSE_CODES } from '@botwire/protocol';
import type { Logger } from '../logging/logger.js';
import type { ConnectionManager } from './connection-manager.js';

/** Options for {@link HeartbeatMonitor}. */
export interface HeartbeatMonitorOptions {
  connections: ConnectionManager;
  logger: Logger;
  intervalMs: number;
  timeoutMs: number;
  now?: () => number;
}

/**
 * The server side of the heartbeat: pings every connection each interval (browsers answer
 * WebSocket pings by themselves) and closes any that has been silent past the timeout. One
 * timer serves all connections, so the cost does not grow with a timer per socket.
 */
export class HeartbeatMonitor {
  private timer: NodeJS.Timeout | undefined;
  private readonly now: () => number;

  constructor(private readonly options: HeartbeatMonitorOptions) {
    this.now = options.now ?? Date.now;
  }

  start(): void {
    this.stop();
    this.timer = setInterval(() => this.tick(), this.options.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One round: close the silent, ping the rest. */
  tick(): void {
    const now = this.now();
    for (const connection of this.options.connections.list()) {
      if (!connection.isOpen) continue;
      if (now - connection.lastSeenAt > this.options.timeoutMs) {
        this.options.logger.info(
          { connection: connection.id },
          'closing a connection silent past the heartbeat timeout',
        );
        connection.close(CLOSE_CODES.HEARTBEAT_TIMEOUT, 'heartbeat timeout');
      } else {
        connection.socket.ping();
      }
    }
  }
}
