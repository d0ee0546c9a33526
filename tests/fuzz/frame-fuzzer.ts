import WebSocket from 'ws';
import { clientFrame, openRawWebSocket, type RawWebSocket } from '../support/raw-websocket.js';

/**
 * A repeatable frame fuzzer for a real Botwire server (issue 12, item 5). Frames come from a
 * seeded generator, so a run is reproduced by its seed; every kind of input the issue names is
 * one generator: random bytes, protocol violations below and above the WebSocket layer, deep
 * nesting, huge arrays, `__proto__` keys, invalid UTF-8, oversized frames and valid frames sent
 * at and past the rate limit. Connections the server closes (as it should for some of these)
 * are reopened, so the run always sends the number of frames asked for.
 */

/** A small fast PRNG (mulberry32): the same seed gives the same run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** What one generator produced: a text or binary WebSocket frame, or raw bytes for the TCP socket. */
type FuzzFrame =
  | { kind: 'text'; data: string | Buffer }
  | { kind: 'binary'; data: Buffer }
  | { kind: 'raw'; data: Buffer }
  /** Valid frames in one burst, past the rate limit. */
  | { kind: 'burst'; frames: string[] };

interface Generator {
  name: string;
  weight: number;
  make(random: () => number, context: { maxFrameBytes: number; burstFrames: number }): FuzzFrame;
}

const integer = (random: () => number, below: number): number => Math.floor(random() * below);

function randomBytes(random: () => number, length: number): Buffer {
  const bytes = Buffer.alloc(length);
  for (let index = 0; index < length; index += 1) bytes[index] = integer(random, 256);
  return bytes;
}

function randomValue(random: () => number, depth: number): unknown {
  const pick = integer(random, depth > 3 ? 5 : 8);
  switch (pick) {
    case 0:
      return null;
    case 1:
      return random() < 0.5;
    case 2:
      return random() < 0.5 ? integer(random, 1e9) - 5e8 : random() * 1e308;
    case 3:
      return randomBytes(random, integer(random, 20)).toString('latin1');
    case 4:
      return ['message', 'ping', 'cancel', 'disconnect', 'authenticate', 'Plain', 'At'][
        integer(random, 7)
      ];
    case 5:
      return Array.from({ length: integer(random, 5) }, () => randomValue(random, depth + 1));
    default: {
      const keys = ['type', 'message', 'text', 'target', 'reply_id', 'client_id', '__proto__', 'x'];
      const object: Record<string, unknown> = {};
      for (let index = integer(random, 5); index > 0; index -= 1) {
        Object.defineProperty(object, keys[integer(random, keys.length)] ?? 'x', {
          value: randomValue(random, depth + 1),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return object;
    }
  }
}

const plain = (text: string): string =>
  JSON.stringify({ type: 'message', message: [{ type: 'Plain', text }] });

/** Every kind of input, with how often it is picked. */
export const GENERATORS: Generator[] = [
  {
    name: 'random bytes as text (mostly invalid UTF-8)',
    weight: 2,
    make: (random) => ({ kind: 'text', data: randomBytes(random, 1 + integer(random, 200)) }),
  },
  {
    name: 'random bytes as a binary frame',
    weight: 3,
    make: (random) => ({ kind: 'binary', data: randomBytes(random, 1 + integer(random, 200)) }),
  },
  {
    name: 'raw bytes below the WebSocket layer (protocol violations)',
    weight: 1,
    make: (random) => {
      const choice = integer(random, 4);
      if (choice === 0) return { kind: 'raw', data: randomBytes(random, 1 + integer(random, 64)) };
      // RSV bits set, an unknown opcode, an oversized control frame, a lone continuation.
      const headers = [0xf1, 0x83, 0x89, 0x00];
      const first = headers[choice] ?? 0x81;
      const payload = Buffer.alloc(choice === 2 ? 200 : 4, 0x61);
      const frame = clientFrame(payload);
      frame[0] = first;
      return { kind: 'raw', data: frame };
    },
  },
  {
    name: 'not JSON',
    weight: 8,
    make: (random) => ({
      kind: 'text',
      data: ['{', '}', '{"type":', 'null,', '[1,2', 'message', '\\u0000', '"'][
        integer(random, 8)
      ]!.repeat(1 + integer(random, 20)),
    }),
  },
  {
    name: 'random JSON values',
    weight: 20,
    make: (random) => ({ kind: 'text', data: JSON.stringify(randomValue(random, 0)) ?? 'null' }),
  },
  {
    name: 'protocol violations (wrong types, unknown frames and components)',
    weight: 15,
    make: (random) => {
      const samples = [
        { type: 'message', message: 'not a chain' },
        { type: 'message', message: [] },
        { type: 'message', message: [{ type: 'Voice', url: 'x' }] },
        { type: 'message', message: [{ type: 'At' }] },
        { type: 'message', message: [{ type: 'Quote', message_id: -1 }] },
        { type: 'message', message: [{ type: 'Plain', text: 'x' }], client_id: 'x'.repeat(500) },
        { type: 'cancel', reply_id: 'one' },
        { type: 'ping', timestamp: {} },
        { type: 'hack' },
        { type: 5 },
        { type: 'authenticate', token: 'bw_key_not_a_key' },
        [],
        'message',
        42,
      ];
      return { kind: 'text', data: JSON.stringify(samples[integer(random, samples.length)]) };
    },
  },
  {
    name: 'deep nesting',
    weight: 3,
    make: (random, { maxFrameBytes }) => {
      const depth = 1 + integer(random, Math.floor(maxFrameBytes / 12));
      const open = random() < 0.5 ? '[' : '{"type":"message","message":[{"a":';
      const close = open === '[' ? ']' : '}]}';
      return {
        kind: 'text',
        data:
          random() < 0.5
            ? `${open.repeat(Math.floor(depth / open.length))}${close.repeat(Math.floor(depth / open.length))}`
            : `${'{"a":'.repeat(depth >> 2)}1${'}'.repeat(depth >> 2)}`,
      };
    },
  },
  {
    name: 'huge arrays',
    weight: 3,
    make: (random, { maxFrameBytes }) => {
      const valid = random() < 0.5;
      const item = valid ? '{"type":"Plain","text":"a"}' : '0';
      const count = Math.floor((maxFrameBytes * 0.9) / (item.length + 1));
      return {
        kind: 'text',
        data: `{"type":"message","message":[${Array.from({ length: count }, () => item).join(',')}]}`,
      };
    },
  },
  {
    name: '__proto__ and constructor keys',
    weight: 8,
    make: (random) => {
      const samples = [
        '{"type":"message","message":[{"type":"Plain","text":"p"}],"__proto__":{"polluted":true}}',
        '{"__proto__":{"type":"ping"}}',
        '{"type":"message","message":[{"type":"Plain","text":"p","__proto__":{"type":"Voice"}}]}',
        '{"type":"ping","constructor":{"prototype":{"polluted":true}}}',
        '{"type":"message","message":{"__proto__":[],"length":1,"0":{"type":"Plain","text":"x"}}}',
        '{"type":"cancel","__proto__":{"reply_id":1}}',
      ];
      return { kind: 'text', data: samples[integer(random, samples.length)] ?? '{}' };
    },
  },
  {
    name: 'frames over the frame limit',
    weight: 1,
    make: (random, { maxFrameBytes }) => ({
      kind: 'text',
      data: plain('o'.repeat(maxFrameBytes + integer(random, maxFrameBytes * 4))),
    }),
  },
  {
    name: 'valid frames',
    weight: 34,
    make: (random) => {
      const choice = integer(random, 6);
      if (choice === 0) return { kind: 'text', data: JSON.stringify({ type: 'ping' }) };
      if (choice === 1) return { kind: 'text', data: JSON.stringify({ type: 'cancel' }) };
      if (choice === 2) {
        return {
          kind: 'text',
          data: JSON.stringify({
            type: 'message',
            message: [{ type: 'Plain', text: 'again' }],
            client_id: `dup-${integer(random, 20)}`,
          }),
        };
      }
      return {
        kind: 'text',
        data: plain(`fuzz ${integer(random, 1e6)} ${'ü'.repeat(integer(random, 300))}`),
      };
    },
  },
  {
    name: 'valid frames past the rate limit (a burst)',
    // Rare: each burst is hundreds of frames (about 8% of a long run's frames in all).
    weight: 0.02,
    make: (_random, { burstFrames }) => ({
      kind: 'burst',
      frames: Array.from({ length: burstFrames }, () => JSON.stringify({ type: 'ping' })),
    }),
  },
];

/** Options for {@link runFuzz}. */
export interface FuzzOptions {
  /** ws:// URL of the chat endpoint. */
  connectUrl: string;
  /** Bearer token the fuzzing connections use. */
  token: string;
  frames: number;
  seed: number;
  /** Connections fuzzing at once. */
  connections: number;
  /** Frames per second each connection sends (around the server's rate limit). */
  framesPerSecond: number;
  maxFrameBytes: number;
  /** Frames of a burst past the rate limit; the first connection starts with one. */
  burstFrames: number;
  /** Stops early (with what was sent) after this long. */
  timeLimitMs: number;
}

/** What a run did. */
export interface FuzzReport {
  sent: number;
  byGenerator: Record<string, number>;
  /** Connections the server closed, by close code (1006 for a cut-off TCP socket). */
  closes: Record<string, number>;
  /** Error frames received, by code. */
  errors: Record<string, number>;
  elapsedMs: number;
}

const BURST = GENERATORS.find((generator) => generator.weight < 1) ?? GENERATORS[0]!;

function pickGenerator(random: () => number): Generator {
  const total = GENERATORS.reduce((sum, generator) => sum + generator.weight, 0);
  let point = random() * total;
  for (const generator of GENERATORS) {
    point -= generator.weight;
    if (point < 0) return generator;
  }
  return GENERATORS[GENERATORS.length - 1]!;
}

/** Runs the fuzz; resolves when `frames` were sent (or the time limit passed). */
export async function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const report: FuzzReport = { sent: 0, byGenerator: {}, closes: {}, errors: {}, elapsedMs: 0 };
  const started = Date.now();
  const deadline = started + options.timeLimitMs;
  const count = (record: Record<string, number>, key: string, amount = 1): void => {
    record[key] = (record[key] ?? 0) + amount;
  };
  const perConnection = Math.ceil(options.frames / options.connections);

  const openSocket = async (): Promise<WebSocket> => {
    const socket = new WebSocket(options.connectUrl, {
      headers: { authorization: `Bearer ${options.token}` },
    });
    socket.on('error', () => undefined);
    socket.on('message', (data: Buffer, isBinary) => {
      if (isBinary) return;
      const text = data.toString('utf8');
      if (!text.startsWith('{"type":"error"')) return;
      count(report.errors, (JSON.parse(text) as { code: string }).code);
    });
    socket.on('close', (code) => count(report.closes, String(code)));
    await new Promise<void>((resolve) => {
      socket.once('message', () => resolve());
      socket.once('close', () => resolve());
    });
    return socket;
  };
  /** Raw connections still open; each is given 100 ms to be closed by the server, then cut. */
  const rawInFlight = new Set<Promise<void>>();
  const sendRaw = async (data: Buffer): Promise<void> => {
    let raw: RawWebSocket;
    try {
      raw = await openRawWebSocket(options.connectUrl, {
        headers: { authorization: `Bearer ${options.token}` },
      });
    } catch {
      return;
    }
    raw.socket.on('error', () => undefined);
    raw.socket.write(data);
    // The server closes a connection that breaks the protocol; one that merely waits (an
    // unfinished frame) is cut off by the fuzzer, without holding up the frames after it.
    const timer = setTimeout(() => raw.socket.destroy(), 100);
    const ended = raw.ended.then(() => {
      clearTimeout(timer);
      count(report.closes, 'raw');
      rawInFlight.delete(ended);
    });
    rawInFlight.add(ended);
    if (rawInFlight.size > 16) await Promise.race(rawInFlight);
  };

  const fuzzOne = async (index: number): Promise<void> => {
    const random = seededRandom(options.seed * 1_000 + index);
    let socket = await openSocket();
    const intervalMs = 1_000 / options.framesPerSecond;
    let next = Date.now();
    for (let sent = 0; sent < perConnection && report.sent < options.frames;) {
      if (Date.now() > deadline) return;
      if (socket.readyState !== WebSocket.OPEN) socket = await openSocket();
      const context = { maxFrameBytes: options.maxFrameBytes, burstFrames: options.burstFrames };
      // The first connection starts past the rate limit; the rest is at random.
      const generator = sent === 0 && index === 0 ? BURST : pickGenerator(random);
      const frame = generator.make(random, context);
      let frames = 1;
      if (frame.kind === 'raw') {
        await sendRaw(frame.data);
      } else if (frame.kind === 'burst') {
        for (const text of frame.frames) socket.send(text);
        frames = frame.frames.length;
      } else {
        socket.send(frame.data, { binary: frame.kind === 'binary' });
      }
      sent += frames;
      report.sent += frames;
      count(report.byGenerator, generator.name, frames);
      // Pace, and let the socket drain so the fuzzer itself stays small.
      next += intervalMs * frames;
      const wait = next - Date.now();
      if (wait > 0 || socket.bufferedAmount > 1_048_576) {
        await new Promise((resolve) => setTimeout(resolve, Math.max(1, wait)));
      }
    }
    socket.close();
  };

  await Promise.all(Array.from({ length: options.connections }, (_, index) => fuzzOne(index)));
  await Promise.all(rawInFlight);
  report.elapsedMs = Date.now() - started;
  return report;
}
