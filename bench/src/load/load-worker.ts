/**
 * A load-generator process, forked by the coordinator (never inside a measured server). It holds
 * a share of the client connections and runs the commands of `worker-messages.ts` on all of
 * them, answering each with a result. Every wait has a deadline.
 */
import type { BenchClient } from './bench-client.js';
import { endpointFor } from './round-robin.js';
import { SocketIoBenchClient } from './socket-io-client.js';
import { sourceAddress } from './source-address.js';
import { WebSocketBenchClient } from './websocket-client.js';
import type {
  BroadcastResult,
  CollectResult,
  ConnectCommand,
  ConnectResult,
  MessageLoopResult,
  ResumeResult,
  WaitRepliesResult,
  WorkerCommand,
  WorkerMessage,
  WorkerProgress,
  WorkerRequest,
} from './worker-messages.js';

const HANDSHAKE_TIMEOUT_MS = 20_000;

const progress: WorkerProgress = { open: 0, chunks: 0, finals: 0, broadcasts: 0 };
let clients: BenchClient[] = [];

function send(message: WorkerMessage): void {
  process.send?.(message);
}

/** Resolves once `check` holds or the deadline passed; polls so no per-frame work is added. */
async function waitUntil(check: () => boolean, deadline: number): Promise<void> {
  while (!check() && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function connectAll(command: ConnectCommand): Promise<ConnectResult> {
  let opened = 0;
  let failed = 0;
  let firstError: string | undefined;
  let next = 0;
  const openOne = async (): Promise<void> => {
    while (next < command.sessions.length && Date.now() < command.deadline) {
      const position = next++;
      const session = command.sessions[position] ?? `s-${position}`;
      const index = command.firstIndex + position;
      // Nodes and source addresses both go by the run-wide index, so every worker's share is
      // spread over all nodes the same way.
      const endpoint = endpointFor(command.spec, index);
      const options = {
        session,
        localAddress: sourceAddress(index, command.sourceAddresses),
        streamMode: command.streamMode,
        progress,
      };
      const client =
        endpoint.dialect === 'socket.io'
          ? new SocketIoBenchClient(endpoint, options)
          : new WebSocketBenchClient(endpoint, options);
      try {
        await client.open(
          Math.min(HANDSHAKE_TIMEOUT_MS, Math.max(1, command.deadline - Date.now())),
        );
        clients.push(client);
        opened += 1;
      } catch (error) {
        client.close();
        failed += 1;
        firstError ??= error instanceof Error ? error.message : String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, command.concurrency) }, openOne));
  return { opened, failed, firstError };
}

async function resumeAll(deadline: number): Promise<ResumeResult> {
  const resumeMs: number[] = [];
  let failed = 0;
  let firstError: string | undefined;
  await Promise.all(
    clients.map(async (client) => {
      try {
        resumeMs.push(await client.cutAndResume(Math.max(1, deadline - Date.now())));
      } catch (error) {
        failed += 1;
        firstError ??= error instanceof Error ? error.message : String(error);
      }
    }),
  );
  return { resumed: resumeMs.length, failed, firstError, resumeMs };
}

async function run(command: WorkerCommand): Promise<unknown> {
  switch (command.type) {
    case 'connect':
      return connectAll(command);
    case 'send-messages':
      // The progress bar counts this round's chunks, not every chunk since the worker started.
      progress.chunks = 0;
      progress.finals = 0;
      for (const client of clients) client.sendMessage(command.expectedChunks);
      return { sent: clients.length };
    case 'message-loop': {
      progress.chunks = 0;
      progress.finals = 0;
      const outcomes = await Promise.all(
        clients.map((client) =>
          client.runMessages(
            command.messages,
            command.expectedChunks,
            Math.max(1, command.deadline - Date.now()),
          ),
        ),
      );
      const result: MessageLoopResult = {
        completed: outcomes.reduce((sum, outcome) => sum + outcome.completed, 0),
        imperfect: outcomes.reduce((sum, outcome) => sum + outcome.imperfect, 0),
        unfinished: outcomes.filter(
          (outcome) => outcome.completed + outcome.imperfect < command.messages,
        ).length,
        startedAt: Math.min(...outcomes.map((outcome) => outcome.firstSentAt)),
        finishedAt: Math.max(...outcomes.map((outcome) => outcome.lastFinalAt)),
        ackMs: outcomes.flatMap((outcome) => outcome.ackMs),
        replyMs: outcomes.flatMap((outcome) => outcome.replyMs),
      };
      return result;
    }
    case 'wait-replies': {
      const { minimumChunks } = command;
      const satisfied = (client: BenchClient): boolean =>
        client.isFinal || (minimumChunks !== undefined && client.distinctChunks >= minimumChunks);
      await waitUntil(() => clients.every(satisfied), command.deadline);
      const result: WaitRepliesResult = {
        satisfied: clients.filter(satisfied).length,
        total: clients.length,
      };
      return result;
    }
    case 'terminate-and-resume':
      return resumeAll(command.deadline);
    case 'await-broadcast': {
      const { marker } = command;
      await waitUntil(
        () => clients.every((client) => client.broadcastReceivedAt(marker) !== undefined),
        command.deadline,
      );
      const receivedAt = clients
        .map((client) => client.broadcastReceivedAt(marker))
        .filter((time): time is number => time !== undefined);
      const result: BroadcastResult = {
        received: receivedAt.length,
        total: clients.length,
        receivedAt,
      };
      return result;
    }
    case 'collect': {
      const result: CollectResult = { replies: clients.map((client) => client.measurement()) };
      return result;
    }
    case 'close-all': {
      for (const client of clients) client.close();
      const closed = clients.length;
      clients = [];
      // Give close handshakes a moment so the next scenario starts from a quiet machine.
      await waitUntil(() => progress.open <= 0, Date.now() + 5_000);
      progress.open = 0;
      return { closed };
    }
  }
}

process.on('message', (request: WorkerRequest) => {
  run(request).then(
    (result) => send({ type: 'result', requestId: request.requestId, result }),
    (error: unknown) =>
      send({
        type: 'failure',
        requestId: request.requestId,
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      }),
  );
});

// Progress for the coordinator's bar; unref'd so it never keeps the worker alive.
setInterval(() => send({ type: 'progress', progress: { ...progress } }), 250).unref();

// The coordinator owns this process: when it goes away, so does the worker.
process.on('disconnect', () => process.exit(0));
