import { useEffect, useState } from 'react';
import { Link, useLocation } from 'wouter';
import { ERROR_ACTION_CLASS, ErrorPanel } from '../../components/ErrorPanel.js';
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
      <div className="mt-4">
        <ErrorPanel message={`Could not open the debug chat: ${error}`}>
          <Link href="/pipelines" className={ERROR_ACTION_CLASS}>
            Back to pipelines
          </Link>
        </ErrorPanel>
      </div>
    );
  }
  if (pipeline === undefined) return null;
  return (
    <ChatDialog key={pipeline.uuid} pipeline={pipeline} onClose={() => navigate('/pipelines')} />
  );
}
