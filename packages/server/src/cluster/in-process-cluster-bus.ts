import type { ClusterBus } from './cluster-bus.js';
import {
  decodeClusterMessage,
  encodeClusterMessage,
  type ClusterMessage,
  type ClusterMessageBody,
} from './cluster-message.js';

/**
 * Buses of nodes living in one process. A single node is a hub of one: publishing then loops
 * over no other node and costs nothing. Several nodes on one hub (tests) get each other's
 * messages on a later microtask, through the same codec as over Redis.
 */
export class InProcessClusterHub {
  readonly #buses = new Set<InProcessClusterBus>();

  /** A bus for the node `nodeId` on this hub. */
  join(nodeId: string): InProcessClusterBus {
    const bus = new InProcessClusterBus(nodeId, this.#buses);
    this.#buses.add(bus);
    return bus;
  }
}

/** The {@link ClusterBus} of one node on an {@link InProcessClusterHub}. */
export class InProcessClusterBus implements ClusterBus {
  readonly clustered = false;
  readonly available = true;
  readonly #handlers: ((message: ClusterMessage) => void)[] = [];

  constructor(
    readonly nodeId: string,
    private readonly buses: Set<InProcessClusterBus>,
  ) {}

  publish(body: ClusterMessageBody): Promise<void> {
    if (this.buses.size > 1) {
      const text = encodeClusterMessage({ ...body, origin: this.nodeId });
      for (const bus of this.buses) {
        if (bus !== this) queueMicrotask(() => bus.receive(text));
      }
    }
    return Promise.resolve();
  }

  onMessage(handler: (message: ClusterMessage) => void): void {
    this.#handlers.push(handler);
  }

  onReconnected(): void {
    // Never cut off.
  }

  liveNodes(): Promise<string[]> {
    return Promise.resolve([...this.buses].map((bus) => bus.nodeId));
  }

  close(): Promise<void> {
    this.buses.delete(this);
    return Promise.resolve();
  }

  private receive(text: string): void {
    const decoded = decodeClusterMessage(text);
    if (!decoded.ok) return;
    const message = decoded.value;
    if ('to' in message && message.to !== this.nodeId) return;
    for (const handler of this.#handlers) handler(message);
  }
}
