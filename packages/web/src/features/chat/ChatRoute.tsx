import { useEffect, useState } from 'react';
import { useLocation } from 'wouter';
import { backend, describeError, type Pipeline } from '../../lib/backend.js';
import { useAuth } from '../auth/auth-context.js';
import { ChatDialog } from './ChatDialog.js';

/**
 * `/pipelines/:uuid/chat`: loads the pipeline and opens its debug chat, so the chat has a URL
 * that survives a reload and can be shared. Closing the dialog goes back to the list.
 */
export function ChatRoute({ uuid }: { uuid: string }) {
  const { handleUnauthorized } = useAuth();
  const [, navigate] = useLocation();
  const [pipeline, setPipeline] = useState<Pipeline | undefined>();
  const [error, setError] = useState<string | undefined>();

  useEffect(() => {
    let active = true;
    setPipeline(undefined);
    setError(undefined);
    backend.getPipeline(uuid).then(
      (found) => {
        if (active) setPipeline(found);
      },
      (failure: unknown) => {
        if (!active || handleUnauthorized(failure)) return;
        setError(describeError(failure));
      },
    );
    return () => {
      active = false;
    };
  }, [uuid, handleUnauthorized]);

  if (error !== undefined) {
    return (
      <div
        role="alert"
        className="mt-4 rounded border border-red-300 p-4 text-sm text-red-800 dark:border-red-800 dark:text-red-200"
      >
        <p>Could not open the debug chat: {error}</p>
        <button
          type="button"
          onClick={() => navigate('/pipelines')}
          className="mt-2 underline focus-visible:outline-2 focus-visible:outline-indigo-600"
        >
          Back to pipelines
        </button>
      </div>
    );
  }
  if (pipeline === undefined) return null;
  return (
    <ChatDialog key={pipeline.uuid} pipeline={pipeline} onClose={() => navigate('/pipelines')} />
  );
}
