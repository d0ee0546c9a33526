import type { IncomingMessage } from 'node:http';

/** Reads a small JSON request body (at most 1 MiB); undefined when it is not JSON. */
export async function readJsonBody(request: IncomingMessage): Promise<unknown> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const part of request as AsyncIterable<Buffer>) {
    size += part.length;
    if (size > 1_048_576) return undefined;
    parts.push(part);
  }
  try {
    return JSON.parse(Buffer.concat(parts).toString('utf8'));
  } catch {
    return undefined;
  }
}

/** The `message` string of a broadcast body `{"message": "..."}`, or a default notice. */
export function broadcastMessage(body: unknown): string {
  const message = (body as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : 'notice';
}

/** The line a reference server prints once it listens; the launcher waits for it. */
export const READY_LINE_PATTERN = /BENCH_TARGET_READY port=(\d+)/;

/** Prints the ready line with the port the server listens on. */
export function announceReady(port: number): void {
  process.stdout.write(`BENCH_TARGET_READY port=${port}\n`);
}
