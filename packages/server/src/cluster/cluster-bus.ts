import { BotwireError } from '../errors/botwire-error.js';
import type { ClusterMessage, ClusterMessageBody } from './cluster-message.js';

/**
 * How the nodes of a cluster tell each other about changes. A single node uses the in-process
 * bus (nobody to tell, so publishing costs nothing); a cluster uses Redis pub/sub. Messages a
 * node publishes are not delivered back to it: the publishing node applies the change itself.
 */
export interface ClusterBus {
  /** This node's id; every published message carries it as `origin`. */
  readonly nodeId: string;
  /** Whether other nodes can exist (false for the single node's in-process bus). */
  readonly clustered: boolean;
  /** Whether the bus can publish and receive right now. */
  readonly available: boolean;
  /** Sends to every other node; rejects with `CLUSTER_UNAVAILABLE` when it cannot. */
  publish(message: ClusterMessageBody): Promise<void>;
  /** Calls `handler` with every valid message from another node meant for this one. */
  onMessage(handler: (message: ClusterMessage) => void): void;
  /**
   * Calls `handler` after the bus was cut off and is back: messages sent meanwhile were lost,
   * so cached state should be dropped.
   */
  onReconnected(handler: () => void): void;
  /** The ids of the nodes alive now, this one included. */
  liveNodes(): Promise<string[]>;
  close(): Promise<void>;
}

/** The error for an operation that must reach every node while the bus is down. */
export function clusterUnavailable(detail?: string): BotwireError {
  return new BotwireError(
    'CLUSTER_UNAVAILABLE',
    `Redis cannot be reached, so the other nodes of the cluster cannot be told; nothing was changed. Try again shortly.${detail === undefined ? '' : ` (${detail})`}`,
  );
}

/**
 * Something this node decided and other nodes must learn of: checked before the change is
 * stored, announced after.
 */
export interface ChangeAnnouncer<TChange> {
  /** Throws `CLUSTER_UNAVAILABLE` when a change made now could not be announced. */
  assertCanAnnounce(): void;
  /** Tells the other nodes; rejects with `CLUSTER_UNAVAILABLE` when it could not. */
  announce(change: TChange): Promise<void>;
}
