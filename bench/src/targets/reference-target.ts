import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { stopChild, trackChild, waitForOutput } from '../child-processes.js';
import { READY_LINE_PATTERN } from './http-body.js';
import type { RunningTarget, TargetStartOptions } from './target.js';

/** Which reference server to start. */
export type ReferenceKind = 'minimal-ws' | 'socket.io';

const ENTRY_POINTS: Record<ReferenceKind, string> = {
  'minimal-ws': fileURLToPath(new URL('./minimal-ws-server.js', import.meta.url)),
  'socket.io': fileURLToPath(new URL('./socket-io-server.js', import.meta.url)),
};

/** Starts the minimal ws server or the Socket.IO server as its own process. */
export async function startReferenceTarget(
  kind: ReferenceKind,
  options: TargetStartOptions,
): Promise<RunningTarget> {
  const { chunks, chunkBytes, intervalMs } = options.reply;
  const args = [
    ...(options.nodeArguments ?? []),
    ENTRY_POINTS[kind],
    '--chunks',
    String(chunks),
    '--chunk-bytes',
    String(chunkBytes),
    '--interval-ms',
    String(intervalMs),
    ...(options.recovery === true ? ['--recovery'] : []),
  ];
  const child = trackChild(
    spawn(process.execPath, args, {
      env: { PATH: process.env.PATH ?? '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  let port: number;
  try {
    const ready = await waitForOutput(child, READY_LINE_PATTERN, 15_000, kind);
    port = Number(ready[1]);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  const baseUrl = `http://127.0.0.1:${port}`;
  if (child.pid === undefined) throw new Error(`${kind} has no pid`);
  return {
    name: kind,
    pids: [child.pid],
    connect:
      kind === 'socket.io'
        ? { dialect: 'socket.io', urls: [baseUrl], headers: {} }
        : { dialect: 'ws', urls: [`ws://127.0.0.1:${port}/ws?session_type=person`], headers: {} },
    async broadcast(message: string): Promise<number> {
      const response = await fetch(`${baseUrl}/broadcast`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ message }),
        signal: AbortSignal.timeout(30_000),
      });
      const body = (await response.json()) as { sent?: number };
      return body.sent ?? 0;
    },
    stop: () => stopChild(child),
  };
}
