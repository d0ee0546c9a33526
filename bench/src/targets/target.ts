/**
 * The servers the suite can measure: the three it compares, and Botwire in cluster mode
 * (`botwire-cluster`: N node processes on PostgreSQL and Redis, see `--nodes`).
 */
export type TargetName = 'botwire' | 'botwire-cluster' | 'minimal-ws' | 'socket.io';

/** Every target, in report order; the minimal ws server is the reference for ratios. */
export const TARGET_NAMES: readonly TargetName[] = [
  'botwire',
  'botwire-cluster',
  'minimal-ws',
  'socket.io',
];

/**
 * The targets a run measures when `--targets` is not given. The cluster target is opt-in: it
 * needs PostgreSQL and Redis, and the default run (CI's smoke run among them) must not.
 */
export const DEFAULT_TARGET_NAMES: readonly TargetName[] = ['botwire', 'minimal-ws', 'socket.io'];

/** The reference all ratios are taken against. */
export const REFERENCE_TARGET: TargetName = 'minimal-ws';

/** Which client library the load workers speak to a target with. */
export type ClientDialect = 'ws' | 'socket.io';

/** How the `bench` job is parameterised: a reply of `chunks` chunks of `chunkBytes`. */
export interface ReplySettings {
  chunks: number;
  chunkBytes: number;
  /** Pause between two chunks; 0 yields to the event loop between chunks, as Botwire does. */
  intervalMs: number;
}

/** Options for starting a target. */
export interface TargetStartOptions {
  reply: ReplySettings;
  /** Socket.IO only: enable connection state recovery (the reconnect storm needs it). */
  recovery?: boolean;
  /** Extra Node.js arguments for the server process, e.g. `--cpu-prof` to profile it. */
  nodeArguments?: string[];
  /** The cluster target only: how many nodes, and the PostgreSQL and Redis they share. */
  cluster?: ClusterSettings;
}

/** Where and how big the `botwire-cluster` target is (`--nodes`, `--postgres-url`, `--redis-url`). */
export interface ClusterSettings {
  nodes: number;
  /** A PostgreSQL server URL whose user may create and drop databases. */
  postgresUrl: string;
  redisUrl: string;
}

/** What a load worker needs to open a connection to a target; plain data, sent over IPC. */
export interface ConnectSpec {
  dialect: ClientDialect;
  /**
   * One URL per server node; connection number i goes to `urls[i mod urls.length]`
   * (`round-robin.ts`). ws dialect: the URL up to and including its query (session, stream and
   * last_seq are appended). socket.io dialect: the server's base URL.
   */
  urls: string[];
  /** Headers of the upgrade request (Botwire's Authorization). */
  headers: Record<string, string>;
}

/** A target server process, started and ready. */
export interface RunningTarget {
  name: TargetName;
  /** The server's processes: one, or one per node of a cluster. */
  pids: number[];
  connect: ConnectSpec;
  /** Sends one broadcast notice to every connection; returns how many the server says it reached. */
  broadcast(message: string): Promise<number>;
  /** Stops the server process. */
  stop(): Promise<void>;
}

/** A {@link ConnectSpec} resolved to the one node a connection goes to. */
export interface ConnectEndpoint {
  dialect: ClientDialect;
  url: string;
  headers: Record<string, string>;
}
