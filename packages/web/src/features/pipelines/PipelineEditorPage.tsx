import { BotwireClientError } from '@botwire/client';
import { useCallback, useEffect, useState } from 'react';
import { Link } from 'wouter';
import { ERROR_ACTION_CLASS, ErrorPanel, RetryButton } from '../../components/ErrorPanel.js';
import { useI18n } from '../../i18n/i18n-context.js';
import { backend, describeError, type Pipeline } from '../../lib/backend.js';
import { useAuth } from '../auth/auth-context.js';
import { PipelineForm } from './PipelineForm.js';
import { PublicWidgetSection } from './PublicWidgetSection.js';
import { RUNNER_TYPES, type RunnerType } from './pipeline-types.js';

type Loaded =
  | { state: 'loading' }
  | { state: 'failed'; message: string; notFound: boolean }
  | { state: 'ready'; pipeline: Pipeline | undefined };

/** The server's runner descriptions; the built-in ones for types it does not describe. */
async function loadRunnerDescriptions(): Promise<Partial<Record<RunnerType, string>>> {
  const descriptions: Partial<Record<RunnerType, string>> = {};
  try {
    for (const runner of await backend.listRunners()) {
      const type = RUNNER_TYPES.find((known) => known === runner.type);
      if (type !== undefined) descriptions[type] = runner.description;
    }
  } catch {
    // Descriptions are help text only; the form has its own, translated ones.
  }
  return descriptions;
}

/**
 * `/pipelines/new` and `/pipelines/:uuid/edit` (admin): creates a pipeline when `uuid` is
 * undefined, else loads the pipeline and edits it.
 */
export function PipelineEditorPage({ uuid }: { uuid?: string }) {
  const { handleUnauthorized } = useAuth();
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });
  const [runnerDescriptions, setRunnerDescriptions] = useState<Partial<Record<RunnerType, string>>>(
    {},
  );
  const { t } = useI18n();
  const [attempt, setAttempt] = useState(0);
  const retry = useCallback(() => setAttempt((count) => count + 1), []);

  useEffect(() => {
    let active = true;
    void loadRunnerDescriptions().then((descriptions) => {
      if (active) setRunnerDescriptions(descriptions);
    });
    return () => {
      active = false;
    };
  }, []);

  useEffect(() => {
    let active = true;
    if (uuid === undefined) {
      setLoaded({ state: 'ready', pipeline: undefined });
      return;
    }
    setLoaded({ state: 'loading' });
    backend.getPipeline(uuid).then(
      (pipeline) => {
        if (active) setLoaded({ state: 'ready', pipeline });
      },
      (error: unknown) => {
        if (!active || handleUnauthorized(error)) return;
        setLoaded({
          state: 'failed',
          message: describeError(error),
          notFound: error instanceof BotwireClientError && error.code === 'PIPELINE_NOT_FOUND',
        });
      },
    );
    return () => {
      active = false;
    };
  }, [uuid, attempt, handleUnauthorized]);

  const title =
    uuid === undefined
      ? t('editor.newTitle')
      : loaded.state === 'ready' && loaded.pipeline !== undefined
        ? t('editor.editNamedTitle', { name: loaded.pipeline.name })
        : t('editor.editTitle');

  return (
    <section aria-labelledby="pipeline-editor-title" className="mx-auto max-w-3xl space-y-4">
      <p>
        <Link
          href="/pipelines"
          className="text-sm text-indigo-700 underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-indigo-600 dark:text-indigo-300"
        >
          {t('editor.back')}
        </Link>
      </p>
      <h2 id="pipeline-editor-title" className="text-lg font-semibold break-words">
        {title}
      </h2>
      {loaded.state === 'loading' && (
        <p role="status" className="text-slate-500 dark:text-slate-400">
          {t('editor.loading')}
        </p>
      )}
      {loaded.state === 'failed' && (
        <ErrorPanel
          message={
            loaded.notFound
              ? t('editor.notFound')
              : t('editor.loadFailed', { error: loaded.message })
          }
        >
          {!loaded.notFound && <RetryButton onRetry={retry} />}
          <Link href="/pipelines" className={ERROR_ACTION_CLASS}>
            {t('editor.backToList')}
          </Link>
        </ErrorPanel>
      )}
      {loaded.state === 'ready' && (
        <>
          {loaded.pipeline?.is_default === true && (
            <p className="text-sm text-slate-600 dark:text-slate-300">{t('editor.isDefault')}</p>
          )}
          {/* Keys differ between the siblings: a key both shared made React keep two forms. */}
          <PipelineForm
            key={`form:${loaded.pipeline?.uuid ?? 'new'}`}
            pipeline={loaded.pipeline}
            runnerDescriptions={runnerDescriptions}
          />
          {loaded.pipeline !== undefined && (
            <PublicWidgetSection
              key={`widget:${loaded.pipeline.uuid}`}
              pipelineUuid={loaded.pipeline.uuid}
            />
          )}
        </>
      )}
    </section>
  );
}
