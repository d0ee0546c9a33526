import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/**
 * A node id for a process started without `BOTWIRE_NODE_ID`: `<hostname>-<pid>-<6 hex digits>`.
 * The random part keeps two processes apart when a container runtime gives each the same host
 * name and pid 1; the id is made once and kept for the process' life.
 */
export function generateNodeId(): string {
  const host = hostname()
    .replace(/[^A-Za-z0-9._-]/g, '-')
    .slice(0, 60);
  return `${host.length > 0 ? host : 'node'}-${process.pid}-${randomBytes(3).toString('hex')}`;
}
