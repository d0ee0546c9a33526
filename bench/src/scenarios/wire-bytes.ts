import { isPerfectDelivery } from '../delivery-tracker.js';
import type { StreamMode } from '../load/worker-messages.js';
import type { RunningTarget, TargetName } from '../targets/target.js';
import {
  requireAllOpened,
  withTarget,
  type Check,
  type Scenario,
  type ScenarioContext,
  type TargetOutcome,
} from './scenario.js';

/**
 * Bytes on the wire for one long reply (2 000 chunks of 4 bytes, about 2 000 tokens): every
 * frame of the reply as the client receives it, in Botwire's default cumulative mode and in
 * `stream=delta`. The reference servers only stream deltas.
 */
export const wireBytesScenario: Scenario = {
  name: 'wire-bytes',
  title: 'Bytes on the wire for one long reply',
  description:
    'One conversation asks for one reply of 2 000 chunks of 4 bytes (about 2 000 tokens; 200 ' +
    'in a quick run). The ' +
    'figure is the WebSocket bytes (payload plus frame header, no TCP/IP) of every frame the ' +
    'client receives from its message on: the acknowledgement and all reply chunks. Cumulative ' +
    "mode (Botwire's default, the original protocol) repeats the text so far in each chunk; " +
    'delta mode sends each piece once. The reference servers implement delta only.',
  metrics: () => [
    {
      key: 'cumulativeBytes',
      label: 'Bytes, cumulative (default)',
      unit: 'B',
      better: 'lower',
      decimals: 0,
    },
    { key: 'deltaBytes', label: 'Bytes, stream=delta', unit: 'B', better: 'lower', decimals: 0 },
    {
      key: 'cumulativeToDelta',
      label: 'Cumulative ÷ delta',
      unit: 'x',
      better: 'lower',
      decimals: 1,
    },
    {
      key: 'deltaFrames',
      label: 'Frames per reply (delta)',
      unit: '',
      better: 'lower',
      decimals: 0,
    },
  ],
  run: runWireBytes,
};

interface OneReply {
  bytes: number;
  frames: number;
  check: Check;
}

async function measureOneReply(
  running: RunningTarget,
  context: ScenarioContext,
  mode: StreamMode,
): Promise<OneReply> {
  const { options, pool } = context;
  const { chunks } = options.wireBytes;
  const opened = await pool.connect({
    spec: running.connect,
    sessions: [`wire-${mode}`],
    streamMode: mode,
    sourceAddresses: 1,
    concurrency: 1,
    deadline: Date.now() + 20_000,
  });
  requireAllOpened(opened, 1);
  await pool.sendMessages(chunks);
  await pool.waitReplies(undefined, Date.now() + 60_000);
  const replies = await pool.collect();
  await pool.closeAll();
  const reply = replies[0];
  if (reply === undefined) throw new Error('no reply measured');
  return {
    bytes: reply.bytes,
    frames: reply.frames,
    check: {
      description: `${mode}: ${chunks} chunks exactly once and in order (${reply.delivery.missing} missing, ${reply.delivery.duplicates} duplicated)`,
      passed: isPerfectDelivery(reply.delivery),
      enforced: true,
    },
  };
}

async function runWireBytes(target: TargetName, context: ScenarioContext): Promise<TargetOutcome> {
  const { chunks, chunkBytes } = context.options.wireBytes;
  // 1 ms between chunks: timing does not matter here, and it keeps the cumulative stream (megabytes
  // for one reply) from piling up in the server's send buffer faster than loopback drains it.
  const reply = { chunks, chunkBytes, intervalMs: 1 };
  return withTarget(target, { reply }, context, async (running) => {
    context.progress.step(`wire-bytes / ${target}: one reply of ${chunks} chunks`);
    const delta = await measureOneReply(running, context, 'delta');
    if (target !== 'botwire') {
      return {
        target,
        metrics: {
          cumulativeBytes: Number.NaN,
          deltaBytes: delta.bytes,
          cumulativeToDelta: Number.NaN,
          deltaFrames: delta.frames,
        },
        checks: [delta.check],
        notes: ['streams deltas only (no cumulative mode)'],
      };
    }
    const cumulative = await measureOneReply(running, context, 'cumulative');
    return {
      target,
      metrics: {
        cumulativeBytes: cumulative.bytes,
        deltaBytes: delta.bytes,
        cumulativeToDelta: cumulative.bytes / delta.bytes,
        deltaFrames: delta.frames,
      },
      checks: [delta.check, cumulative.check],
      notes: [],
    };
  });
}
