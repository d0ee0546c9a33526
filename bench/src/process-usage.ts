import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** A process's own accounting at one moment, read from /proc. */
export interface ProcessUsage {
  /** User plus system CPU time of all its threads, in microseconds. */
  cpuMicroseconds: number;
  /** Resident set size, in bytes. */
  rssBytes: number;
}

let clockTicksPerSecond: number | undefined;

/** `getconf CLK_TCK`: the unit of the CPU times in /proc/<pid>/stat (100 almost everywhere). */
function clockTicks(): number {
  if (clockTicksPerSecond === undefined) {
    try {
      clockTicksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));
    } catch {
      clockTicksPerSecond = 100;
    }
    if (!Number.isFinite(clockTicksPerSecond) || clockTicksPerSecond <= 0) {
      clockTicksPerSecond = 100;
    }
  }
  return clockTicksPerSecond;
}

/**
 * User plus system CPU ticks from the text of /proc/<pid>/stat. The command name (field 2) may
 * hold spaces and parentheses, so fields are counted from the last `)`; utime and stime are
 * fields 14 and 15.
 */
export function parseCpuTicks(statText: string): number {
  const fields = statText.slice(statText.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state), so field 14 is fields[11].
  const userTicks = Number(fields[11]);
  const systemTicks = Number(fields[12]);
  if (!Number.isFinite(userTicks) || !Number.isFinite(systemTicks)) {
    throw new Error(`unexpected /proc stat line: ${statText.slice(0, 200)}`);
  }
  return userTicks + systemTicks;
}

/** The `VmRSS` line of /proc/<pid>/status, in bytes. */
export function parseRssBytes(statusText: string): number {
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(statusText);
  if (match?.[1] === undefined) throw new Error('no VmRSS line in /proc status');
  return Number(match[1]) * 1024;
}

/**
 * Reads another process's CPU time and memory from the kernel's accounting, so the same method
 * serves all three targets without any code inside them. CPU resolution is one clock tick
 * (10 ms), which is why scenarios measure over whole runs, not single events.
 */
export function readProcessUsage(pid: number): ProcessUsage {
  const ticks = parseCpuTicks(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  return {
    cpuMicroseconds: (ticks * 1_000_000) / clockTicks(),
    rssBytes: parseRssBytes(readFileSync(`/proc/${pid}/status`, 'utf8')),
  };
}

/** The usage of a target's processes (one, or one per cluster node): the sum and each one's. */
export interface TargetUsage extends ProcessUsage {
  /** Each process's own figures, in the order of the pids given. */
  perProcess: ProcessUsage[];
}

/** Adds up the CPU time and resident memory of several processes. */
export function addUsages(usages: readonly ProcessUsage[]): TargetUsage {
  return {
    cpuMicroseconds: usages.reduce((sum, usage) => sum + usage.cpuMicroseconds, 0),
    rssBytes: usages.reduce((sum, usage) => sum + usage.rssBytes, 0),
    perProcess: [...usages],
  };
}

/** {@link readProcessUsage} of every process of a target, added up. */
export function readTargetUsage(pids: readonly number[]): TargetUsage {
  return addUsages(pids.map(readProcessUsage));
}
