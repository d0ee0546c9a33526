import { addDeliveryReports, isPerfectDelivery } from '../delivery-tracker.js';
import { now } from '../load/bench-client.js';
import { withProgress } from '../progress-bar.js';
import { summarize } from '../statistics.js';
import type { TargetName } from '../targets/target.js';
import {
  withTarget,
  type Scenario,
  type ScenarioContext,
  type TargetOutcome,
  openAllConnections,
} from './scenario.js';

/**
 * Reconnect storm: clients in the middle of a streamed reply are all cut at once (no close
 * handshake) and reconnect at once, each resuming the way its server supports: Botwire with
 * `last_seq`, Socket.IO with connection state recovery, the minimal ws server not at all.
 */
export const reconnectStormScenario: Scenario = {
  name: 'reconnect-storm',
  title: 'Reconnect storm',
  description:
    'N clients each receive a reply of K chunks (10 ms apart); once every client has a fifth of ' +
    'its chunks, all connections are cut at once (socket destroyed, no close frame) and ' +
    'reconnect immediately: Botwire clients with `last_seq`, Socket.IO clients through ' +
    'connection state recovery, minimal ws clients plainly (it has no resume). "Exactly once" is ' +
    'the share of all N x K chunks each client received exactly once; "time until all resumed" ' +
    "runs from the cut to the first frame on the last client's new connection.",
  metrics: () => [
    {
      key: 'exactlyOncePercent',
      label: 'Chunks delivered exactly once',
      unit: '%',
      better: 'higher',
      decimals: 3,
    },
    { key: 'missing', label: 'Chunks lost', unit: '', better: 'lower', decimals: 0 },
    { key: 'duplicates', label: 'Chunks duplicated', unit: '', better: 'lower', decimals: 0 },
    { key: 'resumeP50', label: 'Time to resume p50', unit: 'ms', better: 'lower', decimals: 1 },
    { key: 'resumeMax', label: 'Time until all resumed', unit: 'ms', better: 'lower', decimals: 1 },
    {
      key: 'allCompleteMs',
      label: 'Time from cut until every reply complete',
      unit: 'ms',
      better: 'lower',
      decimals: 0,
    },
  ],
  run: runReconnectStorm,
};

async function runReconnectStorm(
  target: TargetName,
  context: ScenarioContext,
): Promise<TargetOutcome> {
  const { options, pool, progress } = context;
  const { clients, chunks, chunkBytes, intervalMs } = options.reconnectStorm;
  const reply = { chunks, chunkBytes, intervalMs };
  return withTarget(target, { reply, recovery: true }, context, async (running) => {
    progress.step(`reconnect-storm / ${target}: opening ${clients} connections`);
    await openAllConnections(context, running, { sessionPrefix: 'storm', count: clients });

    progress.step(`reconnect-storm / ${target}: streaming until every client is mid-reply`);
    await pool.sendMessages(chunks);
    const midway = Math.max(1, Math.floor(chunks / 5));
    const started = await pool.waitReplies(midway, Date.now() + 60_000);
    const notes: string[] = [];
    if (started.satisfied < started.total) {
      notes.push(
        `${started.total - started.satisfied} clients had fewer than ${midway} chunks at the cut`,
      );
    }

    progress.step(`reconnect-storm / ${target}: cutting and resuming ${clients} connections`);
    const cutAt = now();
    const resumed = await pool.terminateAndResume(Date.now() + 60_000);
    await withProgress(pool.waitReplies(undefined, Date.now() + 60_000), () =>
      progress.update(pool.progress().finals, clients, 'replies complete'),
    );
    const replies = await pool.collect();
    const delivery = addDeliveryReports(replies.map((measurement) => measurement.delivery));
    const resume = summarize(resumed.resumeMs);
    const resyncs = replies.reduce((sum, measurement) => sum + measurement.resyncRequired, 0);
    if (resumed.failed > 0)
      notes.push(`${resumed.failed} reconnects failed: ${resumed.firstError}`);
    if (resyncs > 0) notes.push(`${resyncs} resync_required frames`);
    if (target === 'minimal-ws')
      notes.push('no resume: chunks sent while a client was away are lost');
    const complete = replies.filter((measurement) => measurement.delivery.finalReceived);
    return {
      target,
      metrics: {
        exactlyOncePercent: (100 * delivery.exactlyOnce) / (clients * chunks),
        missing: delivery.missing,
        duplicates: delivery.duplicates,
        resumeP50: resume.p50,
        resumeMax: resumed.failed > 0 ? Number.NaN : resume.max,
        allCompleteMs:
          complete.length < clients
            ? Number.NaN
            : Math.max(...complete.map((measurement) => measurement.finalAt)) - cutAt,
      },
      checks: [
        {
          description: `every one of ${clients} clients resumed and got all ${chunks} chunks exactly once, in order (${delivery.missing} lost, ${delivery.duplicates} duplicated, ${delivery.outOfOrder} out of order, ${delivery.seqViolations} seq errors, ${delivery.malformed} malformed, ${resumed.failed} reconnects failed)`,
          passed:
            isPerfectDelivery(delivery) &&
            delivery.expected === clients * chunks &&
            resumed.failed === 0 &&
            resyncs === 0,
          // Only Botwire promises loss-free resume (on one node and in a cluster); the others are
          // measured, not judged.
          enforced: target === 'botwire' || target === 'botwire-cluster',
        },
      ],
      notes,
    };
  });
}
