import { TableHead } from '../../components/TableHead.js';
import { useI18n } from '../../i18n/i18n-context.js';
import type { PipelineConnectionCounts } from './connection-statistics.js';

/** Live connections per pipeline and session type. */
export function PipelineStatisticsTable({
  rows,
  pipelineNames,
}: {
  rows: readonly PipelineConnectionCounts[];
  pipelineNames: ReadonlyMap<string, string>;
}) {
  const { t } = useI18n();
  if (rows.length === 0) return null;
  return (
    <div
      role="region"
      aria-label={t('connections.perPipelineTable')}
      tabIndex={0}
      className="relative overflow-x-auto focus-visible:outline-2 focus-visible:outline-indigo-600"
    >
      <table className="w-full text-left text-sm">
        <caption className="sr-only">{t('connections.perPipelineCaption')}</caption>
        <TableHead
          columns={[
            t('connections.pipeline'),
            t('connections.person'),
            t('connections.group'),
            t('connections.totalColumn'),
          ]}
        />
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
