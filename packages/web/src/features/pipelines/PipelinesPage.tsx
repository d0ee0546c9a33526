import { useEffect, useState } from 'react';
import { toast } from 'sonner';
import { Link } from 'wouter';
import { backend, describeError, type Pipeline } from '../../lib/backend.js';
import { useAuth } from '../auth/auth-context.js';

/** The pipelines these credentials may use, each with a button to open the debug chat. */
export function PipelinesPage() {
  const { handleUnauthorized } = useAuth();
  const [pipelines, setPipelines] = useState<Pipeline[] | undefined>();

  useEffect(() => {
    let active = true;
    backend.listPipelines().then(
      (list) => {
        if (active) setPipelines(list);
      },
      (error: unknown) => {
        if (!active || handleUnauthorized(error)) return;
        toast.error(`Could not load pipelines: ${describeError(error)}`);
        setPipelines([]);
      },
    );
    return () => {
      active = false;
    };
  }, [handleUnauthorized]);

  return (
    <section aria-labelledby="pipelines-title" className="space-y-4">
      <h2 id="pipelines-title" className="text-lg font-semibold">
        Pipelines
      </h2>
      {pipelines === undefined ? (
        <p role="status" className="text-slate-500">
          Loading pipelines…
        </p>
      ) : pipelines.length === 0 ? (
        <p className="text-slate-500">No pipelines.</p>
      ) : (
        <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200 dark:divide-slate-800 dark:border-slate-800">
          {pipelines.map((pipeline) => (
            <li key={pipeline.uuid} className="flex flex-wrap items-center gap-3 p-4">
              <div className="min-w-0 flex-1">
                <p className="flex items-center gap-2 font-medium">
                  <span>{pipeline.name}</span>
                  {pipeline.is_default && (
                    <span className="rounded-full bg-indigo-100 px-2 py-0.5 text-xs text-indigo-800 dark:bg-indigo-900 dark:text-indigo-100">
                      default
                    </span>
                  )}
                </p>
                <p className="text-sm text-slate-500 dark:text-slate-400">
                  Runner: <span className="font-mono">{pipeline.runner.type}</span>
                  {pipeline.description !== '' && <> · {pipeline.description}</>}
                </p>
              </div>
              <Link
                href={`/pipelines/${pipeline.uuid}/chat`}
                aria-label={`Open debug chat for ${pipeline.name}`}
                className="rounded bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
              >
                Open debug chat
              </Link>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
