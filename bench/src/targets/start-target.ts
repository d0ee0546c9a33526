import { startBotwireClusterTarget } from './botwire-cluster-target.js';
import { startBotwireTarget } from './botwire-target.js';
import { startReferenceTarget } from './reference-target.js';
import type { RunningTarget, TargetName, TargetStartOptions } from './target.js';

/** Starts one of the targets as its own process (or processes, for a cluster). */
export function startTarget(name: TargetName, options: TargetStartOptions): Promise<RunningTarget> {
  switch (name) {
    case 'botwire':
      return startBotwireTarget(options);
    case 'botwire-cluster':
      return startBotwireClusterTarget(options);
    case 'minimal-ws':
    case 'socket.io':
      return startReferenceTarget(name, options);
  }
}
