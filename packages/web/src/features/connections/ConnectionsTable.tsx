import { useState } from 'react';
import { ConfirmDialog } from '../../components/ConfirmDialog.js';
import { TableHead } from '../../components/TableHead.js';
import {
  DEFAULT_CONNECTION_VIEW,
  nodesOf,
  viewConnections,
  type ConnectionSortKey,
  type ConnectionView,
} from './connection-filter.js';
import type { ConnectionsData } from './connection-statistics.js';
import type { MessageKey } from '../../i18n/catalogues.js';
import { useI18n } from '../../i18n/i18n-context.js';
import { PRINCIPAL_KINDS, principalKindLabel } from './principal-kind.js';

const SORT_OPTIONS: { value: ConnectionSortKey; label: MessageKey }[] = [
  { value: 'created_at', label: 'connections.sortConnectedSince' },
  { value: 'last_active', label: 'connections.sortLastActive' },
  { value: 'principal', label: 'connections.sortPrincipal' },
  { value: 'pipeline', label: 'connections.sortPipeline' },
];

const CONTROL =
  'min-h-11 rounded border border-slate-300 bg-white px-2 text-sm focus-visible:outline-2 focus-visible:outline-indigo-600 sm:min-h-9 dark:border-slate-700 dark:bg-slate-900';

/**
 * Every live connection: who, from where, since when, and when it last sent anything; filter
 * by text or session type, sort by a column, and close one (after a confirmation). In cluster
 * mode also which node holds it (a column and a filter); a single node has neither.
 */
export function ConnectionsTable({
  connections,
  pipelineNames,
  onDisconnect,
}: {
  connections: ConnectionsData['connections'];
  pipelineNames: ReadonlyMap<string, string>;
  onDisconnect: (connectionId: string) => Promise<void>;
}) {
  const [view, setView] = useState<ConnectionView>(DEFAULT_CONNECTION_VIEW);
  const shown = viewConnections(connections, view, pipelineNames);
  const nodes = nodesOf(connections);
  const clustered = nodes.length > 0;
  const { t, format } = useI18n();
  const kindText = (kind: string): string => {
    const label = principalKindLabel(kind);
    return label === undefined ? kind : t(label);
  };
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-end gap-2">
        <label className="flex flex-col text-sm">
          <span>{t('connections.filter')}</span>
          <input
            type="search"
            value={view.text}
            onChange={(event) => setView({ ...view, text: event.target.value })}
            placeholder={t('connections.filterPlaceholder')}
            className={CONTROL}
          />
        </label>
        <label className="flex flex-col text-sm">
          <span>{t('connections.sessionType')}</span>
          <select
            value={view.sessionType}
            onChange={(event) =>
              setView({ ...view, sessionType: event.target.value as ConnectionView['sessionType'] })
            }
            className={CONTROL}
          >
            <option value="all">{t('connections.all')}</option>
            <option value="person">{t('connections.personOption')}</option>
            <option value="group">{t('connections.groupOption')}</option>
          </select>
        </label>
        <label className="flex flex-col text-sm">
          <span>{t('connections.kindFilter')}</span>
          <select
            value={view.principalKind}
            onChange={(event) => setView({ ...view, principalKind: event.target.value })}
            className={CONTROL}
          >
            <option value="all">{t('connections.all')}</option>
            {PRINCIPAL_KINDS.map((kind) => (
              <option key={kind} value={kind}>
                {kindText(kind)}
              </option>
            ))}
          </select>
        </label>
        {clustered && (
          <label className="flex flex-col text-sm">
            <span>{t('connections.nodeFilter')}</span>
            <select
              value={view.node}
              onChange={(event) => setView({ ...view, node: event.target.value })}
              className={CONTROL}
            >
              <option value="all">{t('connections.all')}</option>
              {nodes.map((node) => (
                <option key={node} value={node}>
                  {node}
                </option>
              ))}
            </select>
          </label>
        )}
        <label className="flex flex-col text-sm">
          <span>{t('connections.sortBy')}</span>
          <select
            value={view.sortKey}
            onChange={(event) =>
              setView({ ...view, sortKey: event.target.value as ConnectionSortKey })
            }
            className={CONTROL}
          >
            {SORT_OPTIONS.map((option) => (
              <option key={option.value} value={option.value}>
                {t(option.label)}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          aria-pressed={view.descending}
          onClick={() => setView({ ...view, descending: !view.descending })}
          className={`${CONTROL} hover:bg-slate-100 dark:hover:bg-slate-800`}
        >
          {view.descending ? t('connections.descending') : t('connections.ascending')}
        </button>
        <p role="status" className="text-sm text-slate-600 dark:text-slate-300">
          {t('connections.shown', { shown: shown.length, count: connections.length })}
        </p>
      </div>
      <div
        role="region"
        aria-label={t('connections.table')}
        tabIndex={0}
        className="relative overflow-x-auto focus-visible:outline-2 focus-visible:outline-indigo-600"
      >
        <table className="w-full text-left text-sm">
          <caption className="sr-only">{t('connections.caption')}</caption>
          <TableHead
            columns={[
              t('connections.connection'),
              ...(clustered ? [t('connections.node')] : []),
              t('connections.pipeline'),
              t('connections.type'),
              t('connections.principal'),
              t('connections.kind'),
              t('connections.address'),
              t('connections.connectedSince'),
              t('connections.lastActive'),
              '',
            ]}
          />
          <tbody>
            {shown.length === 0 && (
              <tr>
                <td colSpan={clustered ? 10 : 9} className="p-2 text-slate-600 dark:text-slate-300">
                  {connections.length === 0 ? t('connections.none') : t('connections.noMatch')}
                </td>
              </tr>
            )}
            {shown.map((connection) => {
              const short = connection.connection_id.slice(0, 8);
              return (
                <tr
                  key={connection.connection_id}
                  className="border-b border-slate-100 dark:border-slate-900"
                >
                  <td className="p-2 font-mono" title={connection.connection_id}>
                    {short}
                  </td>
                  {clustered && (
                    <td className="p-2 font-mono" data-testid="connection-node">
                      {connection.node_id ?? '—'}
                    </td>
                  )}
                  <td className="p-2">
                    {pipelineNames.get(connection.pipeline_uuid) ?? connection.pipeline_uuid}
                  </td>
                  <td className="p-2">
                    {t(
                      connection.session_type === 'group'
                        ? 'connections.groupOption'
                        : 'connections.personOption',
                    )}
                  </td>
                  <td className="p-2">{connection.principal.name}</td>
                  <td className="p-2" data-testid="connection-kind">
                    {kindText(connection.principal.kind)}
                  </td>
                  <td className="p-2 font-mono">{connection.remote_address}</td>
                  <td className="p-2">{format.time(connection.created_at)}</td>
                  <td className="p-2">{format.time(connection.last_active)}</td>
                  <td className="p-2 text-right">
                    <ConfirmDialog
                      title={t('connections.disconnectTitle', { id: short })}
                      description={t('connections.disconnectDescription', {
                        name: connection.principal.name,
                      })}
                      confirmLabel={t('connections.disconnect')}
                      onConfirm={() => onDisconnect(connection.connection_id)}
                      trigger={
                        <button
                          type="button"
                          aria-label={t('connections.disconnectLabel', {
                            id: short,
                            name: connection.principal.name,
                          })}
                          className="min-h-11 rounded border border-red-300 px-2 text-xs text-red-700 hover:bg-red-50 focus-visible:outline-2 focus-visible:outline-indigo-600 sm:min-h-7 dark:border-red-800 dark:text-red-300 dark:hover:bg-red-950"
                        >
                          {t('connections.disconnect')}
                        </button>
                      }
                    />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}
