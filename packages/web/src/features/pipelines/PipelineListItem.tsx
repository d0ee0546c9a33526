import { useState } from 'react';
import { toast } from 'sonner';
import { Link } from 'wouter';
import { returnFocusLater } from '../../lib/return-focus.js';
import { ConfirmDialog } from '../../components/ConfirmDialog.js';
import { backend, describeError, type Pipeline } from '../../lib/backend.js';
import { useAuth } from '../auth/auth-context.js';
import { ModelCheckResult, type ModelCheckOutcome } from './ModelCheckResult.js';

/** Props of {@link PipelineListItem}. */
export interface PipelineListItemProps {
  pipeline: Pipeline;
  /** Whether to offer the admin actions (edit, check, delete). */
  admin: boolean;
  /** Called after the pipeline was deleted, to refresh the list. */
  onDeleted: (pipeline: Pipeline) => void;
}

const SECONDARY_BUTTON =
  'rounded border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:opacity-60 dark:border-slate-700 dark:hover:bg-slate-900';

/** The model a pipeline uses, for the summary line; echo and bench use none. */
function modelOf(pipeline: Pipeline): string | undefined {
  const runner = pipeline.runner;
  return runner.type === 'openai-compatible' || runner.type === 'anthropic'
    ? runner.settings.model
    : undefined;
}

/**
 * One pipeline in the list: its name and runner, the debug chat link, and for admins edit,
 * model check (result shown under the row) and delete after a confirmation.
 */
export function PipelineListItem({ pipeline, admin, onDeleted }: PipelineListItemProps) {
  const { handleUnauthorized } = useAuth();
  const [check, setCheck] = useState<ModelCheckOutcome | undefined>();
  const model = modelOf(pipeline);

  async function runCheck(): Promise<void> {
    setCheck({ kind: 'running' });
    try {
      setCheck({ kind: 'answered', result: await backend.checkPipeline(pipeline.uuid) });
    } catch (error) {
      if (handleUnauthorized(error)) return;
      setCheck({ kind: 'failed', message: describeError(error) });
    }
  }

  async function remove(): Promise<void> {
    try {
      await backend.deletePipeline(pipeline.uuid);
      toast.success(`Deleted "${pipeline.name}"`);
      onDeleted(pipeline);
    } catch (error) {
      // Handled here so the dialog closes; the toast says what went wrong.
      if (!handleUnauthorized(error)) {
        toast.error(`Could not delete "${pipeline.name}": ${describeError(error)}`);
      }
    }
  }

  return (
    <li className="space-y-3 p-4">
      <div className="flex flex-wrap items-center gap-3">
        <div className="min-w-0 flex-1 basis-56">
          <p className="flex flex-wrap items-center gap-2 font-medium">
            <span className="break-words">{pipeline.name}</span>
            {pipeline.is_default && (
              <span className="rounded-full bg-indigo-100 px-2 py-0.5 text-xs text-indigo-800 dark:bg-indigo-900 dark:text-indigo-100">
                default
              </span>
            )}
          </p>
          <p className="text-sm break-words text-slate-500 dark:text-slate-400">
            Runner: <span className="font-mono">{pipeline.runner.type}</span>
            {model !== undefined && (
              <>
                {' '}
                · Model: <span className="font-mono">{model}</span>
              </>
            )}
            {pipeline.description !== '' && <> · {pipeline.description}</>}
          </p>
        </div>
        <div className="flex flex-wrap gap-2">
          <Link
            href={`/pipelines/${pipeline.uuid}/chat`}
            id={`open-chat-${pipeline.uuid}`}
            onClick={() => returnFocusLater(`open-chat-${pipeline.uuid}`)}
            aria-label={`Open debug chat for ${pipeline.name}`}
            className="inline-flex min-h-11 items-center rounded bg-indigo-600 px-3 py-1.5 sm:min-h-0 text-sm font-medium text-white hover:bg-indigo-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
          >
            Open debug chat
          </Link>
          <Link
            href={`/pipelines/${pipeline.uuid}/conversations`}
            aria-label={`Conversations of ${pipeline.name}`}
            className="inline-flex min-h-11 items-center rounded border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-600 sm:min-h-0 dark:border-slate-700 dark:hover:bg-slate-900"
          >
            Conversations
          </Link>
          {admin && (
            <>
              <Link
                href={`/pipelines/${pipeline.uuid}/edit`}
                aria-label={`Edit ${pipeline.name}`}
                className={SECONDARY_BUTTON}
              >
                Edit
              </Link>
              <button
                type="button"
                onClick={() => void runCheck()}
                disabled={check?.kind === 'running'}
                aria-label={`Check model of ${pipeline.name}`}
                className={SECONDARY_BUTTON}
              >
                {check?.kind === 'running' ? 'Checking…' : 'Check model'}
              </button>
              <ConfirmDialog
                trigger={
                  <button
                    type="button"
                    aria-label={`Delete ${pipeline.name}`}
                    className="rounded border border-red-300 px-3 py-1.5 text-sm text-red-700 hover:bg-red-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-red-600 dark:border-red-800 dark:text-red-300 dark:hover:bg-red-950"
                  >
                    Delete
                  </button>
                }
                title={`Delete "${pipeline.name}"?`}
                description={
                  <>
                    The pipeline is deleted with all its conversations and their history, and its
                    live connections are closed. This cannot be undone.
                    {pipeline.is_default &&
                      ' It is the default pipeline: clients using its chat URL stop working.'}
                  </>
                }
                confirmLabel="Delete pipeline"
                onConfirm={remove}
              />
            </>
          )}
        </div>
      </div>
      {check !== undefined && (
        <div
          role="status"
          aria-label={`Model check of ${pipeline.name}`}
          className="rounded border border-slate-200 bg-slate-50 p-3 text-sm dark:border-slate-800 dark:bg-slate-900"
        >
          <ModelCheckResult outcome={check} />
        </div>
      )}
    </li>
  );
}
