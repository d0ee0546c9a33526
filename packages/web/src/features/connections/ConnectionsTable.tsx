import { useState } from 'react';
import { ConfirmDialog } from '../../components/ConfirmDialog.js';
import { TableHead } from '../../components/TableHead.js';
import {
  DEFAULT_CONNECTION_VIEW,
  viewConnections,
  type ConnectionSortKey,
  type ConnectionView,
} from './connection-filter.js';
import { formatTime, type ConnectionsData } from './connection-statistics.js';

const SORT_OPTIONS: { value: ConnectionSortKey; label: string }[] = [
  { value: 'created_at', label: 'Connected since' },
  { value: 'last_active', label: 'Last active' },
  { value: 'principal', label: 'Principal' },
  { value: 'pipeline', label: 'Pipeline' },
];

const CONTROL =
  'min-h-11 rounded border border-slate-300 bg-white px-2 text-sm focus-visible:outline-2 focus-visible:outline-indigo-600 sm:min-h-9 dark:border-slate-700 dark:bg-slate-900';

/**
 * Every live connection: who, from where, since when, and when it last sent anything; filter
 * by text or session type, sort by a column, and close one (after a confirmation).
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
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-end gap-2">
        <label className="flex flex-col text-sm">
          <span>Filter connections</span>
          <input
            type="search"
            value={view.text}
            onChange={(event) => setView({ ...view, text: event.target.value })}
            placeholder="id, pipeline, principal, address"
            className={CONTROL}
          />
        </label>
        <label className="flex flex-col text-sm">
          <span>Session type</span>
          <select
            value={view.sessionType}
            onChange={(event) =>
              setView({ ...view, sessionType: event.target.value as ConnectionView['sessionType'] })
            }
            className={CONTROL}
          >
            <option value="all">all</option>
            <option value="person">person</option>
            <option value="group">group</option>
          </select>
        </label>
        <label className="flex flex-col text-sm">
          <span>Sort by</span>
          <select
            value={view.sortKey}
            onChange={(event) =>
              setView({ ...view, sortKey: event.target.value as ConnectionSortKey })
            }
            className={CONTROL}
          >
            {SORT_OPTIONS.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
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
          {view.descending ? 'Descending' : 'Ascending'}
        </button>
        <p role="status" className="text-sm text-slate-600 dark:text-slate-300">
          {shown.length} of {connections.length} shown
        </p>
      </div>
      <div
        role="region"
        aria-label="Connections table"
        tabIndex={0}
        className="relative overflow-x-auto focus-visible:outline-2 focus-visible:outline-indigo-600"
      >
        <table className="w-full text-left text-sm">
          <caption className="sr-only">Live connections, refreshed every 5 seconds</caption>
          <TableHead
            columns={[
              'Connection',
              'Pipeline',
              'Type',
              'Principal',
              'Address',
              'Connected since',
              'Last active',
              '',
            ]}
          />
          <tbody>
            {shown.length === 0 && (
              <tr>
                <td colSpan={8} className="p-2 text-slate-600 dark:text-slate-300">
                  {connections.length === 0
                    ? 'No live connections. Open a debug chat or connect a client to see it here.'
                    : 'No connection matches the filter.'}
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
                  <td className="p-2">
                    {pipelineNames.get(connection.pipeline_uuid) ?? connection.pipeline_uuid}
                  </td>
                  <td className="p-2">{connection.session_type}</td>
                  <td className="p-2">{connection.principal.name}</td>
                  <td className="p-2 font-mono">{connection.remote_address}</td>
                  <td className="p-2">{formatTime(connection.created_at)}</td>
                  <td className="p-2">{formatTime(connection.last_active)}</td>
                  <td className="p-2 text-right">
                    <ConfirmDialog
                      title={`Disconnect connection ${short}?`}
                      description={`The connection of ${connection.principal.name} closes now; its client is told it was disconnected by an admin and does not reconnect by itself. This is recorded in the server log.`}
                      confirmLabel="Disconnect"
                      onConfirm={() => onDisconnect(connection.connection_id)}
                      trigger={
                        <button
                          type="button"
                          aria-label={`Disconnect ${short} (${connection.principal.name})`}
                          className="min-h-11 rounded border border-red-300 px-2 text-xs text-red-700 hover:bg-red-50 focus-visible:outline-2 focus-visible:outline-indigo-600 sm:min-h-7 dark:border-red-800 dark:text-red-300 dark:hover:bg-red-950"
                        >
                          Disconnect
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
