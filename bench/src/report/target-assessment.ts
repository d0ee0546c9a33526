import { REFERENCE_TARGET } from '../targets/target.js';
import { metricOf, type BenchReport } from './bench-report.js';

/** How Botwire stands against one of the targets. */
export interface TargetAssessment {
  target: string;
  measured: string;
  status: 'met' | 'not met' | 'blocked by machine' | 'not measured';
}

function format(value: number, decimals: number): string {
  return value.toLocaleString('en-US', {
    minimumFractionDigits: decimals,
    maximumFractionDigits: decimals,
  });
}

/**
 * Judges the performance targets from a run's figures. "Well below Socket.IO" is taken
 * as at most three quarters of its CPU per chunk; "serialized once" is judged by the CPU per
 * broadcast recipient staying within twice the reference server's, which serializes once.
 */
export function assessTargets(
  report: Pick<BenchReport, 'scenarios' | 'machine' | 'options'>,
): TargetAssessment[] {
  const assessments: TargetAssessment[] = [];
  // Both streaming variants: paced (one chunk per connection per tick, where per-tick write
  // batching cannot help) and bursts (where it can).
  for (const [scenario, label] of [
    ['streaming', 'paced chunks'],
    ['streaming-burst', 'bursts'],
  ] as const) {
    const cpu = (target: string): number =>
      metricOf(report, scenario, target, 'cpuMicrosecondsPerChunk');
    const botwireCpu = cpu('botwire');
    const referenceCpu = cpu(REFERENCE_TARGET);
    const socketIoCpu = cpu('socket.io');
    const toReference = botwireCpu / referenceCpu;
    assessments.push({
      target: `Server CPU per streamed chunk at most half the minimal ws server's (${label})`,
      measured: Number.isNaN(toReference)
        ? 'not measured'
        : `${format(botwireCpu, 2)} µs vs ${format(referenceCpu, 2)} µs: ${format(toReference, 2)}x`,
      status: Number.isNaN(toReference) ? 'not measured' : toReference <= 0.5 ? 'met' : 'not met',
    });
    const toSocketIo = botwireCpu / socketIoCpu;
    assessments.push({
      target: `Server CPU per streamed chunk well below Socket.IO's, at most 0.75x (${label})`,
      measured: Number.isNaN(toSocketIo)
        ? 'not measured'
        : `${format(botwireCpu, 2)} µs vs ${format(socketIoCpu, 2)} µs: ${format(toSocketIo, 2)}x`,
      status: Number.isNaN(toSocketIo) ? 'not measured' : toSocketIo <= 0.75 ? 'met' : 'not met',
    });
  }
  // Issue 10's targets: the cost of a stored message, paced streaming at the floor, and the
  // first chunk of many messages arriving at once.
  const perMessage = (target: string): number =>
    metricOf(report, 'messages', target, 'cpuMicrosecondsPerMessage');
  const messageRatio = perMessage('botwire') / perMessage(REFERENCE_TARGET);
  assessments.push({
    target:
      "Server CPU per message, stored before acknowledged, at most 3x the minimal ws server's",
    measured: Number.isNaN(messageRatio)
      ? 'not measured'
      : `${format(perMessage('botwire'), 1)} µs vs ${format(perMessage(REFERENCE_TARGET), 1)} µs: ${format(messageRatio, 2)}x`,
    status: Number.isNaN(messageRatio) ? 'not measured' : messageRatio <= 3 ? 'met' : 'not met',
  });
  const pacedCpu = (target: string): number =>
    metricOf(report, 'streaming', target, 'cpuMicrosecondsPerChunk');
  const pacedRatio = pacedCpu('botwire') / pacedCpu(REFERENCE_TARGET);
  assessments.push({
    target: "Server CPU per streamed chunk at most the minimal ws server's (paced chunks)",
    measured: Number.isNaN(pacedRatio)
      ? 'not measured'
      : `${format(pacedCpu('botwire'), 2)} µs vs ${format(pacedCpu(REFERENCE_TARGET), 2)} µs: ${format(pacedRatio, 2)}x`,
    status: Number.isNaN(pacedRatio) ? 'not measured' : pacedRatio <= 1 ? 'met' : 'not met',
  });
  const firstChunk = (target: string): number =>
    metricOf(report, 'streaming', target, 'firstChunkP50');
  const firstChunkGap = firstChunk('botwire') - firstChunk(REFERENCE_TARGET);
  assessments.push({
    target: `${report.options.streaming.conversations} messages at once: time to first chunk p50 within 10 ms of the minimal ws server's`,
    measured: Number.isNaN(firstChunkGap)
      ? 'not measured'
      : `${format(firstChunk('botwire'), 1)} ms vs ${format(firstChunk(REFERENCE_TARGET), 1)} ms: ${format(firstChunkGap, 1)} ms apart`,
    status: Number.isNaN(firstChunkGap) ? 'not measured' : firstChunkGap <= 10 ? 'met' : 'not met',
  });
  const largest = Math.max(...report.options.fanout.sizes);
  const perRecipient = (target: string): number =>
    metricOf(report, 'fanout', target, `cpuPerRecipient_${largest}`);
  const broadcastRatio = perRecipient('botwire') / perRecipient(REFERENCE_TARGET);
  assessments.push({
    target: 'Broadcast serialized once',
    measured: Number.isNaN(broadcastRatio)
      ? 'not measured'
      : `${format(perRecipient('botwire'), 2)} µs per recipient at ${largest} vs ${format(perRecipient(REFERENCE_TARGET), 2)} µs for the minimal ws server (which serializes once): ${format(broadcastRatio, 2)}x`,
    status: Number.isNaN(broadcastRatio) ? 'not measured' : broadcastRatio <= 2 ? 'met' : 'not met',
  });
  const kilobytes = metricOf(report, 'capacity', 'botwire', 'kilobytesPerConnection');
  assessments.push({
    target: 'At most 10 KB server memory per idle connection',
    measured: Number.isNaN(kilobytes)
      ? 'not measured'
      : `${format(kilobytes, 2)} KB at ${report.options.capacity.memoryConnections} connections`,
    status: Number.isNaN(kilobytes) ? 'not measured' : kilobytes <= 10 ? 'met' : 'not met',
  });
  const reached = metricOf(report, 'capacity', 'botwire', 'maxReached');
  const limit = report.machine.openFileLimit;
  const projected = Number.isNaN(kilobytes)
    ? ''
    : `; 50,000 would take about ${format((kilobytes * 50_000) / 1024, 0)} MB of connection memory`;
  assessments.push({
    target: '50,000 concurrent connections on one 2-core node',
    measured: Number.isNaN(reached)
      ? 'not measured'
      : `${format(reached, 0)} reached (${format(report.options.capacity.maxConnections, 0)} tried; open-file limit ${format(limit, 0)})${projected}`,
    status: Number.isNaN(reached)
      ? 'not measured'
      : reached >= 50_000
        ? 'met'
        : limit < 50_000
          ? 'blocked by machine'
          : 'not met',
  });
  const lost = metricOf(report, 'reconnect-storm', 'botwire', 'missing');
  const duplicated = metricOf(report, 'reconnect-storm', 'botwire', 'duplicates');
  assessments.push({
    target: 'Zero lost or duplicated chunks in the reconnect storm',
    measured: Number.isNaN(lost)
      ? 'not measured'
      : `${format(lost, 0)} lost, ${format(duplicated, 0)} duplicated of ${format(report.options.reconnectStorm.clients * report.options.reconnectStorm.chunks, 0)}`,
    status: Number.isNaN(lost)
      ? 'not measured'
      : lost === 0 && duplicated === 0
        ? 'met'
        : 'not met',
  });
  return assessments;
}
