import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { toast } from 'sonner';
import { backend, describeError, type Pipeline } from '../../lib/backend.js';
import { useI18n } from '../../i18n/i18n-context.js';
import { useAuth } from '../auth/auth-context.js';
import { BroadcastForm } from './BroadcastForm.js';
import { countByPipeline, type ConnectionsData } from './connection-statistics.js';
import { principalKindCounts, principalKindLabel } from './principal-kind.js';
import { ConnectionsTable } from './ConnectionsTable.js';
import { PipelineStatisticsTable } from './PipelineStatisticsTable.js';

const REFRESH_MS = 5_000;

/**
 * Live connections of all pipelines (admin): totals, per-pipeline counts, a table refreshed
 * every 5 s, and the broadcast composer. A failed refresh keeps the last figures on screen and
 * says so, instead of blanking the page.
 */
export function ConnectionsPage() {
  const { handleUnauthorized } = useAuth();
  const [data, setData] = useState<ConnectionsData | undefined>();
  const [refreshError, setRefreshError] = useState<string | undefined>();
  const [updatedAt, setUpdatedAt] = useState<Date | undefined>();
  const [pipelines, setPipelines] = useState<Pipeline[]>([]);
  const { t, format } = useI18n();
  // The latest translator for the refresh timer's callbacks, which outlive a language switch.
  const translate = useRef(t);
  translate.current = t;

  const refresh = useCallback(async (): Promise<void> => {
    try {
      setData(await backend.listAllConnections());
      setUpdatedAt(new Date());
      setRefreshError(undefined);
    } catch (error) {
      if (!handleUnauthorized(error)) setRefreshError(describeError(error));
    }
  }, [handleUnauthorized]);

  useEffect(() => {
    void refresh();
    const timer = setInterval(() => void refresh(), REFRESH_MS);
    backend.listPipelines().then(setPipelines, (error: unknown) => {
      if (!handleUnauthorized(error))
        toast.error(
          translate.current('connections.pipelinesFailed', { error: describeError(error) }),
        );
    });
    return () => clearInterval(timer);
  }, [refresh, handleUnauthorized]);

  const names = useMemo(
    () => new Map(pipelines.map((pipeline) => [pipeline.uuid, pipeline.name])),
    [pipelines],
  );
  const perPipeline = useMemo(() => countByPipeline(data?.connections ?? []), [data]);

  const disconnect = useCallback(
    async (connectionId: string): Promise<void> => {
      try {
        await backend.disconnectConnection(connectionId);
        toast.success(
          translate.current('connections.disconnected', { id: connectionId.slice(0, 8) }),
        );
      } catch (error) {
        if (!handleUnauthorized(error)) {
          toast.error(
            translate.current('connections.disconnectFailed', { error: describeError(error) }),
          );
        }
      }
      await refresh();
    },
    [refresh, handleUnauthorized],
  );

  return (
    <section aria-labelledby="connections-title" className="space-y-6">
      <div className="flex flex-wrap items-baseline gap-x-3">
        <h2 id="connections-title" className="text-lg font-semibold">
          {t('connections.title')}
        </h2>
        {updatedAt !== undefined && (
          <p className="text-xs text-slate-600 dark:text-slate-300">
            {t('connections.live', { time: format.time(updatedAt) })}
          </p>
        )}
      </div>
      {refreshError !== undefined && (
        <div
          role="alert"
          className="flex flex-wrap items-center gap-2 rounded border border-red-300 p-3 text-sm text-red-800 dark:border-red-800 dark:text-red-200"
        >
          <span>
            {t('connections.refreshFailed', { error: refreshError })}
            {data !== undefined && t('connections.showingLast')}
          </span>
          <button
            type="button"
            onClick={() => void refresh()}
            className="rounded border border-red-300 px-2 py-0.5 hover:bg-red-50 focus-visible:outline-2 focus-visible:outline-indigo-600 dark:border-red-800 dark:hover:bg-red-950"
          >
            {t('connections.retryNow')}
          </button>
        </div>
      )}
      {data === undefined ? (
        refreshError === undefined && (
          <p role="status" className="text-slate-500">
            {t('common.loading')}
          </p>
        )
      ) : (
        <>
          <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4">
            <Statistic label={t('connections.total')} value={data.stats.total_connections} />
            <Statistic
              label={t('connections.person')}
              value={data.stats.connections_by_session_type.person}
            />
            <Statistic
              label={t('connections.group')}
              value={data.stats.connections_by_session_type.group}
            />
            <Statistic
              label={t('connections.activeConversations')}
              value={data.stats.active_conversations}
            />
          </dl>
          <dl aria-label={t('connections.kind')} className="grid grid-cols-2 gap-3 sm:grid-cols-4">
            {principalKindCounts(data.stats.connections_by_principal_kind).map(
              ({ kind, count }) => {
                const label = principalKindLabel(kind);
                return (
                  <Statistic
                    key={kind}
                    label={label === undefined ? kind : t(label)}
                    value={count}
                  />
                );
              },
            )}
          </dl>
          <PipelineStatisticsTable rows={perPipeline} pipelineNames={names} />
          <ConnectionsTable
            connections={data.connections}
            pipelineNames={names}
            onDisconnect={disconnect}
          />
        </>
      )}
      <BroadcastForm pipelines={pipelines} />
    </section>
  );
}

function Statistic({ label, value }: { label: string; value: number }) {
  const { format } = useI18n();
  return (
    <div className="rounded-lg border border-slate-200 p-3 dark:border-slate-800">
      <dt className="text-xs text-slate-600 dark:text-slate-300">{label}</dt>
      <dd className="text-2xl font-semibold tabular-nums">{format.number(value)}</dd>
    </div>
  );
}
