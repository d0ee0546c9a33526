import { useCallback, useEffect, useRef, useState } from 'react';
import { useReturnFocus } from '../../lib/return-focus.js';
import { Link } from 'wouter';
import { ErrorPanel, RetryButton } from '../../components/ErrorPanel.js';
import { useI18n } from '../../i18n/i18n-context.js';
import { backend, describeError, type Pipeline } from '../../lib/backend.js';
import { useAuth } from '../auth/auth-context.js';
import { PipelineListItem } from './PipelineListItem.js';

type Listing =
  | { state: 'loading' }
  | { state: 'failed'; message: string }
  | { state: 'ready'; pipelines: Pipeline[] };

const PRIMARY_BUTTON =
  'rounded bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600';

/**
 * The pipelines these credentials may use, each with its debug chat; admins also create, edit,
 * check and delete them here.
 */
export function PipelinesPage() {
  const { principal, handleUnauthorized } = useAuth();
  const admin = principal.role === 'admin';
  const [listing, setListing] = useState<Listing>({ state: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const { t } = useI18n();
  // Back from the debug chat: the link that opened it has the focus again.
  useReturnFocus(listing.state === 'ready');

  useEffect(() => {
    let active = true;
    backend.listPipelines().then(
      (pipelines) => {
        if (active) setListing({ state: 'ready', pipelines });
      },
      (error: unknown) => {
        if (!active || handleUnauthorized(error)) return;
        setListing({ state: 'failed', message: describeError(error) });
      },
    );
    return () => {
      active = false;
    };
  }, [attempt, handleUnauthorized]);

  const retry = useCallback(() => {
    setListing({ state: 'loading' });
    setAttempt((count) => count + 1);
  }, []);

  const removed = useCallback((pipeline: Pipeline) => {
    setListing((current) =>
      current.state === 'ready'
        ? {
            state: 'ready',
            pipelines: current.pipelines.filter((entry) => entry.uuid !== pipeline.uuid),
          }
        : current,
    );
    // The row, and the Delete button that had the focus, are gone: put the focus somewhere
    // meaningful instead of letting it fall back to the page body. After the dialog closed.
    setTimeout(() => headingRef.current?.focus(), 0);
  }, []);

  const empty = listing.state === 'ready' && listing.pipelines.length === 0;

  return (
    <section aria-labelledby="pipelines-title" className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2
          id="pipelines-title"
          ref={headingRef}
          tabIndex={-1}
          className="text-lg font-semibold focus:outline-none"
        >
          {t('pipelines.title')}
        </h2>
        {/* The empty state has its own button; one "New pipeline" per page is enough. */}
        {admin && !empty && (
          <Link href="/pipelines/new" className={PRIMARY_BUTTON}>
            {t('pipelines.new')}
          </Link>
        )}
      </div>
      {listing.state === 'loading' && (
        <p role="status" className="text-slate-500 dark:text-slate-400">
          {t('pipelines.loading')}
        </p>
      )}
      {listing.state === 'failed' && (
        <ErrorPanel message={t('pipelines.loadFailed', { error: listing.message })}>
          <RetryButton onRetry={retry} />
        </ErrorPanel>
      )}
      {empty && (
        <div className="space-y-3 rounded-lg border border-dashed border-slate-300 p-6 text-center dark:border-slate-700">
          <p className="font-medium">{t('pipelines.emptyTitle')}</p>
          <p className="text-sm text-slate-500 dark:text-slate-400">
            {admin ? t('pipelines.emptyAdmin') : t('pipelines.emptyMember')}
          </p>
          {admin && (
            <Link href="/pipelines/new" className={`inline-block ${PRIMARY_BUTTON}`}>
              {t('pipelines.new')}
            </Link>
          )}
        </div>
      )}
      {listing.state === 'ready' && listing.pipelines.length > 0 && (
        <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200 dark:divide-slate-800 dark:border-slate-800">
          {listing.pipelines.map((pipeline) => (
            <PipelineListItem
              key={pipeline.uuid}
              pipeline={pipeline}
              admin={admin}
              onDeleted={removed}
            />
          ))}
        </ul>
      )}
    </section>
  );
}
