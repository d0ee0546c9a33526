import { parseArgs } from 'node:util';
import {
  DEFAULT_TARGET_NAMES,
  TARGET_NAMES,
  type ClusterSettings,
  type TargetName,
} from './targets/target.js';

/** The scenarios, in run order. */
export const SCENARIO_NAMES = [
  'streaming',
  'streaming-burst',
  'messages',
  'fanout',
  'capacity',
  'wire-bytes',
  'reconnect-storm',
] as const;

/** One scenario's name. */
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

/** Everything a run is configured by. */
export interface BenchOptions {
  quick: boolean;
  scenarios: ScenarioName[];
  targets: TargetName[];
  /** Load worker processes. */
  workers: number;
  /** Loopback source addresses to spread client connections over. */
  sourceAddresses: number;
  /** Handshakes in flight at once, per worker. */
  handshakeConcurrency: number;
  streaming: { conversations: number; chunks: number; chunkBytes: number; intervalMs: number };
  /** The burst variant: same conversations and chunk size, interval 0, longer replies. */
  streamingBurst: {
    conversations: number;
    chunks: number;
    chunkBytes: number;
    intervalMs: number;
  };
  /** Messages back to back: `connections` each send `messages`, the next when a reply is final. */
  messages: { connections: number; messages: number; chunkBytes: number };
  fanout: { sizes: number[]; rounds: number };
  capacity: { memoryConnections: number; maxConnections: number; timeBoundSeconds: number };
  wireBytes: { chunks: number; chunkBytes: number };
  reconnectStorm: { clients: number; chunks: number; chunkBytes: number; intervalMs: number };
  /** Where results go; undefined: bench/results (full runs) or a quick-* folder in it. */
  outputDirectory: string | undefined;
  /** Node.js arguments for the server processes, e.g. `--cpu-prof --cpu-prof-dir=/tmp/profiles`. */
  serverNodeArguments: string[];
  /** The `botwire-cluster` target: node count and the PostgreSQL and Redis it runs on. */
  cluster: ClusterSettings;
}

/** Usage text for `--help`. */
export const USAGE = `Usage: npm run bench -- [options]

  --quick                     smoke run (under a minute): small sizes, checks delivery only
  --scenarios a,b             ${SCENARIO_NAMES.join(', ')} (default: all)
  --targets a,b               ${TARGET_NAMES.join(', ')}
                              (default: ${DEFAULT_TARGET_NAMES.join(', ')}; botwire-cluster
                              is opt-in: it needs PostgreSQL and Redis)
  --workers N                 load worker processes (default 4)
  --source-addresses N        spread clients over 127.0.0.1..N (default 8)
  --handshake-concurrency N   connection attempts in flight per worker (default 100)
  --conversations N           streaming: concurrent conversations (default 200)
  --chunks N                  streaming: chunks per reply (default 200)
  --chunk-bytes N             streaming: bytes per chunk (default 32)
  --interval-ms N             streaming: pause between chunks (default 20)
  --burst-chunks N            streaming-burst: chunks per reply, sent without pause (default 1000)
  --message-connections N     messages: connections, one conversation each (default 50)
  --messages N                messages: messages per connection, back to back (default 400)
  --fanout-sizes a,b          fan-out: idle connections per size (default 1000,10000)
  --rounds N                  fan-out: broadcasts per size (default 10)
  --memory-connections N      capacity: idle connections for the memory figure (default 10000)
  --connections N             capacity: most connections to try (default: open-file limit - 500)
  --time-bound-s N            capacity: time allowed to open them (default 60)
  --storm-clients N           reconnect storm: clients cut mid-stream (default 1000)
  --nodes N                   botwire-cluster: node processes (default 3); clients are spread
                              over them round-robin
  --postgres-url URL          botwire-cluster: PostgreSQL server where a fresh database is made
                              and dropped after (default postgres://postgres@127.0.0.1:5432/postgres)
  --redis-url URL             botwire-cluster: Redis; a key prefix of its own, deleted after
                              (default redis://127.0.0.1:6379)
  --out DIR                   results directory (default bench/results)
  --server-node-args=STR      Node.js arguments for the servers (space-separated), e.g.
                              --server-node-args="--cpu-prof --cpu-prof-dir=/tmp/profiles"
  -h, --help                  show this help
`;

function positiveInteger(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`--${name} must be a whole number, got ${JSON.stringify(text)}`);
  }
  return value;
}

function list<Name extends string>(
  name: string,
  text: string | undefined,
  allowed: readonly Name[],
): Name[] {
  if (text === undefined) return [...allowed];
  const names = text.split(',').map((item) => item.trim());
  for (const item of names) {
    if (!allowed.includes(item as Name)) {
      throw new Error(`--${name}: unknown ${JSON.stringify(item)}; use ${allowed.join(', ')}`);
    }
  }
  return names as Name[];
}

/**
 * Reads the command line. `openFileLimit` bounds the capacity default: one server process cannot
 * hold more sockets than it may open files.
 */
export function parseBenchOptions(
  argv: readonly string[],
  openFileLimit: number,
): BenchOptions | 'help' {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      quick: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
      scenarios: { type: 'string' },
      targets: { type: 'string' },
      workers: { type: 'string' },
      'source-addresses': { type: 'string' },
      'handshake-concurrency': { type: 'string' },
      conversations: { type: 'string' },
      chunks: { type: 'string' },
      'chunk-bytes': { type: 'string' },
      'interval-ms': { type: 'string' },
      'burst-chunks': { type: 'string' },
      'message-connections': { type: 'string' },
      messages: { type: 'string' },
      'fanout-sizes': { type: 'string' },
      rounds: { type: 'string' },
      'memory-connections': { type: 'string' },
      connections: { type: 'string' },
      'time-bound-s': { type: 'string' },
      'storm-clients': { type: 'string' },
      out: { type: 'string' },
      'server-node-args': { type: 'string' },
      nodes: { type: 'string' },
      'postgres-url': { type: 'string' },
      'redis-url': { type: 'string' },
    },
  });
  if (values.help) return 'help';
  const quick = values.quick;
  const integer = (name: keyof typeof values, full: number, smoke: number): number =>
    positiveInteger(name, values[name] as string | undefined, quick ? smoke : full);
  const fanoutSizes =
    values['fanout-sizes'] === undefined
      ? quick
        ? [200]
        : [1_000, 10_000]
      : values['fanout-sizes'].split(',').map((size) => positiveInteger('fanout-sizes', size, 0));
  const capacityDefault = Math.max(1_000, openFileLimit - 500);
  return {
    quick,
    scenarios: list('scenarios', values.scenarios, SCENARIO_NAMES),
    targets:
      values.targets === undefined
        ? [...DEFAULT_TARGET_NAMES]
        : list('targets', values.targets, TARGET_NAMES),
    workers: Math.max(1, integer('workers', 4, 2)),
    sourceAddresses: Math.max(1, integer('source-addresses', 8, 4)),
    handshakeConcurrency: Math.max(1, integer('handshake-concurrency', 100, 50)),
    streaming: {
      conversations: Math.max(1, integer('conversations', 200, 20)),
      chunks: Math.max(1, integer('chunks', 200, 30)),
      chunkBytes: Math.max(8, integer('chunk-bytes', 32, 16)),
      intervalMs: integer('interval-ms', 20, 5),
    },
    streamingBurst: {
      conversations: Math.max(1, integer('conversations', 200, 20)),
      chunks: Math.max(1, integer('burst-chunks', 1_000, 100)),
      chunkBytes: Math.max(8, integer('chunk-bytes', 32, 16)),
      intervalMs: 0,
    },
    messages: {
      connections: Math.max(1, integer('message-connections', 50, 20)),
      messages: Math.max(1, integer('messages', 400, 20)),
      chunkBytes: 32,
    },
    fanout: { sizes: fanoutSizes, rounds: Math.max(1, integer('rounds', 10, 2)) },
    capacity: {
      memoryConnections: Math.max(1, integer('memory-connections', 10_000, 300)),
      maxConnections: Math.max(1, integer('connections', capacityDefault, 600)),
      timeBoundSeconds: Math.max(1, integer('time-bound-s', 60, 10)),
    },
    wireBytes: { chunks: quick ? 200 : 2_000, chunkBytes: 4 },
    reconnectStorm: {
      clients: Math.max(1, integer('storm-clients', 1_000, 50)),
      chunks: quick ? 60 : 300,
      chunkBytes: 16,
      intervalMs: 10,
    },
    outputDirectory: values.out,
    serverNodeArguments: (values['server-node-args'] ?? '')
      .split(' ')
      .filter((argument) => argument.length > 0),
    cluster: {
      nodes: Math.max(1, integer('nodes', 3, 3)),
      postgresUrl: values['postgres-url'] ?? 'postgres://postgres@127.0.0.1:5432/postgres',
      redisUrl: values['redis-url'] ?? 'redis://127.0.0.1:6379',
    },
  };
}
