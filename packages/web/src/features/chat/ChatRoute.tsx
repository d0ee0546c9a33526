import { useEffect, useState } from 'react';
import { Link, useSearch } from 'wouter';
import { ERROR_ACTION_CLASS, ErrorPanel } from '../../components/ErrorPanel.js';
import { backend, describeError, type Pipeline } from '../../lib/backend.js';
import { useI18n } from '../../i18n/i18n-context.js';
import { useAuth } from '../auth/auth-context.js';
import { ChatPage } from './ChatPage.js';

/**
 * `/pipelines/:uuid/chat`: loads the pipeline and shows its debug chat page, so the chat has a
 * URL that survives a reload and can be shared.
 */
export function ChatRoute({ uuid }: { uuid: string }) {
  const { handleUnauthorized } = useAuth();
  const [pipeline, setPipeline] = useState<Pipeline | undefined>();
  const { t } = useI18n();
  const [error, setError] = useState<string | undefined>();
  // `?type=group&session=lobby` continues a named conversation (from the conversation list).
  const search = new URLSearchParams(useSearch());
  const sessionType = search.get('type') === 'group' ? 'group' : 'person';
  const session = search.get('session') ?? undefined;

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
        <ErrorPanel message={t('chat.openFailed', { error })}>
          <Link href="/pipelines" className={ERROR_ACTION_CLASS}>
            {t('editor.backToList')}
          </Link>
        </ErrorPanel>
      </div>
    );
  }
  if (pipeline === undefined) {
    return (
      <p role="status" className="text-slate-600 dark:text-slate-300">
        {t('chat.opening')}
      </p>
    );
  }
  return (
    <ChatPage
      key={`${pipeline.uuid}/${sessionType}/${session ?? ''}`}
      pipeline={pipeline}
      onPipelineChange={setPipeline}
      initialSessionType={sessionType}
      session={session}
    />
  );
}
