import { TableHead } from '../../components/TableHead.js';
import type { PipelineConnectionCounts } from './connection-statistics.js';

/** Live connections per pipeline and session type. */
export function PipelineStatisticsTable({
  rows,
  pipelineNames,
}: {
  rows: readonly PipelineConnectionCounts[];
  pipelineNames: ReadonlyMap<string, string>;
}) {
  if (rows.length === 0) return null;
  return (
    <div
      role="region"
      aria-label="Connections per pipeline table"
      tabIndex={0}
      className="relative overflow-x-auto focus-visible:outline-2 focus-visible:outline-indigo-600"
    >
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Live connections per pipeline and session type</caption>
        <TableHead columns={['Pipeline', 'Person', 'Group', 'Total']} />
        <tbody>
          {rows.map((row) => (
            <tr key={row.pipelineUuid} className="border-b border-slate-100 dark:border-slate-900">
              <td className="p-2">{pipelineNames.get(row.pipelineUuid) ?? row.pipelineUuid}</td>
              <td className="p-2 tabular-nums">{row.person}</td>
              <td className="p-2 tabular-nums">{row.group}</td>
              <td className="p-2 font-medium tabular-nums">{row.total}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
