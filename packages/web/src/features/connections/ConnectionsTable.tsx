import { TableHead } from '../../components/TableHead.js';
import { formatTime, type ConnectionsData } from './connection-statistics.js';

/** Every live connection: who, from where, since when, and when it last sent anything. */
export function ConnectionsTable({
  connections,
  pipelineNames,
}: {
  connections: ConnectionsData['connections'];
  pipelineNames: ReadonlyMap<string, string>;
}) {
  return (
    <div className="overflow-x-auto">
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
          ]}
        />
        <tbody>
          {connections.length === 0 && (
            <tr>
              <td colSpan={7} className="p-2 text-slate-500">
                No live connections. Open a debug chat or connect a client to see it here.
              </td>
            </tr>
          )}
          {connections.map((connection) => (
            <tr
              key={connection.connection_id}
              className="border-b border-slate-100 dark:border-slate-900"
            >
              <td className="p-2 font-mono" title={connection.connection_id}>
                {connection.connection_id.slice(0, 8)}
              </td>
              <td className="p-2">
                {pipelineNames.get(connection.pipeline_uuid) ?? connection.pipeline_uuid}
              </td>
              <td className="p-2">{connection.session_type}</td>
              <td className="p-2">{connection.principal.name}</td>
              <td className="p-2 font-mono">{connection.remote_address}</td>
              <td className="p-2">{formatTime(connection.created_at)}</td>
              <td className="p-2">{formatTime(connection.last_active)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
