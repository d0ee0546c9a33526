import { execFileSync } from 'node:child_process';
import os from 'node:os';

/** The machine a run was measured on. */
export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  nodeVersion: string;
  platform: string;
  /** The soft open-file limit (`ulimit -n`): one process cannot hold more sockets. */
  openFileLimit: number;
}

/** `ulimit -n` of this process (inherited by the servers and workers it starts). */
export function readOpenFileLimit(): number {
  try {
    const text = execFileSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim();
    return text === 'unlimited' ? Number.POSITIVE_INFINITY : Number(text);
  } catch {
    return 1024;
  }
}

/** Describes this machine. */
export function readMachineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: os.availableParallelism(),
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    nodeVersion: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    openFileLimit: readOpenFileLimit(),
  };
}
