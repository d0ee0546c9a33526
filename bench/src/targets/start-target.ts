import { startBotwireTarget } from './botwire-target.js';
import { startReferenceTarget } from './reference-target.js';
import type { RunningTarget, TargetName, TargetStartOptions } from './target.js';

/** Starts one of the three targets as its own process. */
export function startTarget(name: TargetName, options: TargetStartOptions): Promise<RunningTarget> {
  return name === 'botwire' ? startBotwireTarget(options) : startReferenceTarget(name, options);
}
