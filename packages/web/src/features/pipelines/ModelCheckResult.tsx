import type { ModelCheckData } from './pipeline-types.js';

/** Where a "Check model" run of one pipeline stands. */
export type ModelCheckOutcome =
  | { kind: 'running' }
  /** The server ran the check; `result.ok` says whether the model answered. */
  | { kind: 'answered'; result: ModelCheckData }
  /** The check itself could not run (network, rights, deleted pipeline). */
  | { kind: 'failed'; message: string };

/** Replies longer than this are cut: bench answers with kilobytes of filler. */
const REPLY_PREVIEW_LENGTH = 160;

function preview(reply: string): string {
  return reply.length > REPLY_PREVIEW_LENGTH
    ? `${reply.slice(0, REPLY_PREVIEW_LENGTH)}… (${reply.length} characters)`
    : reply;
}

/**
 * The outcome of a model check, shown under the pipeline's row: whether the model answered, how
 * fast, which model and what it said, or the error code and the server's explanation.
 */
export function ModelCheckResult({ outcome }: { outcome: ModelCheckOutcome }) {
  switch (outcome.kind) {
    case 'running':
      return <p className="text-slate-600 dark:text-slate-300">Checking the model…</p>;
    case 'failed':
      return (
        <p className="text-red-700 dark:text-red-300">
          <span className="font-medium">The check could not run:</span> {outcome.message}
        </p>
      );
    case 'answered': {
      const { result } = outcome;
      const facts = [
        `runner ${result.runner}`,
        ...(result.model === null ? [] : [`model ${result.model}`]),
        `${result.latency_ms} ms`,
      ].join(' · ');
      return result.ok ? (
        <div className="space-y-1 text-green-800 dark:text-green-300">
          <p>
            <span className="font-medium">✓ The model answered</span> ({facts})
          </p>
          {result.reply !== null && (
            <p className="break-words text-slate-700 dark:text-slate-300">
              Reply: <q className="font-mono text-xs">{preview(result.reply)}</q>
            </p>
          )}
        </div>
      ) : (
        <div className="space-y-1 text-red-800 dark:text-red-300">
          <p>
            <span className="font-medium">✗ The model did not answer</span> ({facts})
          </p>
          {result.error !== null && (
            <p className="break-words">
              <code className="font-mono text-xs">{result.error.code}</code>: {result.error.message}
            </p>
          )}
        </div>
      );
    }
  }
}
