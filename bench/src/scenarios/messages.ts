import { summarize, ratio } from '../statistics.js';
import { withProgress } from '../progress-bar.js';
import { readTargetUsage } from '../process-usage.js';
import type { TargetName } from '../targets/target.js';
import {
  openAllConnections,
  withTarget,
  type Scenario,
  type ScenarioContext,
  type TargetOutcome,
} from './scenario.js';

/**
 * Chat messages back to back: C connections, each in its own conversation, each sending its next
 * message as soon as the previous reply is final, on a reply of one chunk. This is the cost of a
 * message itself (Botwire stores the message and its reply before acknowledging and finishing
 * them; the reference servers store nothing), where the streaming scenarios measure chunks.
 */
export const messagesScenario: Scenario = {
  name: 'messages',
  title: 'Messages',
  description:
    'C connections, each in its own conversation, each send M messages one after another: the ' +
    'next as soon as the previous reply (one chunk) is final. "Server CPU per message" is the ' +
    'user+system CPU time of the server process from the first send to the last final frame ' +
    'divided by the messages answered; Botwire stores every message and reply before ' +
    'acknowledging the message and before sending the final frame, the reference servers store ' +
    'nothing. Ack is the `user_message` frame; reply time runs from the send to the final frame.',
  metrics: () => [
    { key: 'messagesPerSecond', label: 'Messages/s', unit: '/s', better: 'higher', decimals: 0 },
    {
      key: 'cpuMicrosecondsPerMessage',
      label: 'Server CPU per message',
      unit: 'µs',
      better: 'lower',
      decimals: 1,
    },
    { key: 'ackP50', label: 'Time to ack p50', unit: 'ms', better: 'lower', decimals: 2 },
    { key: 'ackP99', label: 'Time to ack p99', unit: 'ms', better: 'lower', decimals: 2 },
    { key: 'replyP50', label: 'Time to final p50', unit: 'ms', better: 'lower', decimals: 2 },
    { key: 'replyP99', label: 'Time to final p99', unit: 'ms', better: 'lower', decimals: 2 },
    { key: 'serverCpuSeconds', label: 'Server CPU time', unit: 's', better: 'lower', decimals: 2 },
  ],
  run: runMessages,
};

async function runMessages(target: TargetName, context: ScenarioContext): Promise<TargetOutcome> {
  const { options, pool, progress } = context;
  const { connections, messages, chunkBytes } = options.messages;
  return withTarget(
    target,
    { reply: { chunks: 1, chunkBytes, intervalMs: 0 } },
    context,
    async (running) => {
      progress.step(`messages / ${target}: opening ${connections} connections`);
      await openAllConnections(context, running, { sessionPrefix: 'messages', count: connections });
      const total = connections * messages;
      progress.step(`messages / ${target}: ${connections} x ${messages} messages`);
      const before = readTargetUsage(running.pids);
      const result = await withProgress(
        pool.messageLoop({ messages, expectedChunks: 1, deadline: Date.now() + 300_000 }),
        () => progress.update(pool.progress().finals, total, 'messages'),
      );
      const after = readTargetUsage(running.pids);
      const answered = result.completed + result.imperfect;
      const cpuMicroseconds = after.cpuMicroseconds - before.cpuMicroseconds;
      const ack = summarize(result.ackMs.filter((value) => Number.isFinite(value)));
      const reply = summarize(result.replyMs);
      return {
        target,
        metrics: {
          messagesPerSecond: ratio(answered, (result.finishedAt - result.startedAt) / 1000),
          cpuMicrosecondsPerMessage: ratio(cpuMicroseconds, answered),
          ackP50: ack.p50,
          ackP99: ack.p99,
          replyP50: reply.p50,
          replyP99: reply.p99,
          serverCpuSeconds: cpuMicroseconds / 1e6,
        },
        checks: [
          {
            description: `${total} messages acknowledged and answered with their reply complete (${result.completed} complete, ${result.imperfect} imperfect, ${total - answered} unanswered, ${result.ackMs.length - ack.count} without ack)`,
            passed: result.completed === total && ack.count === total,
            enforced: true,
          },
        ],
        notes: [],
      };
    },
  );
}
