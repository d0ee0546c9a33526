import { ConfirmDialog } from '../../components/ConfirmDialog.js';
import { TableHead } from '../../components/TableHead.js';
import type { backend } from '../../lib/backend.js';
import { useI18n } from '../../i18n/i18n-context.js';
import { keyStatusOf, type KeyStatus } from './key-expiry.js';

/** One API key as the server lists it. */
export type ApiKey = Awaited<ReturnType<typeof backend.listApiKeys>>[number];

/** Props of {@link ApiKeysTable}. */
export interface ApiKeysTableProps {
  keys: readonly ApiKey[];
  pipelineName: (uuid: string) => string;
  onRevoke: (key: ApiKey) => Promise<void>;
  onDelete: (key: ApiKey) => Promise<void>;
}

/** The list of API keys with their scope, use, expiry and state, and revoke/delete actions. */
export function ApiKeysTable({ keys, pipelineName, onRevoke, onDelete }: ApiKeysTableProps) {
  const { t, format } = useI18n();
  return (
    <div
      role="region"
      aria-label={t('keys.table')}
      tabIndex={0}
      className="relative overflow-x-auto focus-visible:outline-2 focus-visible:outline-indigo-600"
    >
      <table className="w-full text-left text-sm">
        <TableHead
          columns={[
            t('keys.name'),
            t('keys.prefix'),
            t('keys.role'),
            t('keys.pipelines'),
            t('keys.created'),
            t('keys.lastUsed'),
            t('keys.expires'),
            t('keys.status'),
            '',
          ]}
        />
        <tbody>
          {keys.length === 0 && (
            <tr>
              <td colSpan={9} className="p-2 text-slate-600 dark:text-slate-300">
                {t('keys.empty')}
              </td>
            </tr>
          )}
          {keys.map((key) => (
            <tr key={key.id} className="border-b border-slate-100 dark:border-slate-900">
              <td className="p-2">{key.name}</td>
              <td className="p-2 font-mono">{key.prefix}…</td>
              <td className="p-2">
                {t(key.role === 'admin' ? 'common.roleAdmin' : 'common.roleMember')}
              </td>
              <td className="p-2">
                {key.pipelines === null
                  ? t('keys.allPipelines')
                  : key.pipelines.map(pipelineName).join(t('keys.listSeparator'))}
              </td>
              <td className="p-2">{format.dateTime(key.created_at)}</td>
              <td className="p-2">
                {key.last_used_at === null
                  ? t('keys.neverUsed')
                  : format.dateTime(key.last_used_at)}
              </td>
              <td className="p-2">
                {key.expires_at === null ? t('keys.never') : format.dateTime(key.expires_at)}
              </td>
              <td className="p-2">
                <KeyStatusBadge status={keyStatusOf(key)} />
              </td>
              <td className="p-2 text-right">
                {key.revoked_at !== null && (
                  <ConfirmDialog
                    title={t('keys.deleteTitle', { name: key.name })}
                    description={t('keys.deleteDescription')}
                    confirmLabel={t('keys.deleteConfirm')}
                    onConfirm={() => onDelete(key)}
                    trigger={
                      <button
                        type="button"
                        aria-label={t('keys.deleteLabel', { name: key.name })}
                        className="min-h-11 rounded border border-slate-300 px-2 text-xs hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-600 sm:min-h-7 dark:border-slate-700 dark:hover:bg-slate-800"
                      >
                        {t('common.delete')}
                      </button>
                    }
                  />
                )}
                {key.revoked_at === null && (
                  <ConfirmDialog
                    title={t('keys.revokeTitle', { name: key.name })}
                    description={t('keys.revokeDescription')}
                    confirmLabel={t('keys.revokeConfirm')}
                    onConfirm={() => onRevoke(key)}
                    trigger={
                      <button
                        type="button"
                        aria-label={t('keys.revokeLabel', { name: key.name })}
                        className="rounded border border-red-300 px-2 py-1 text-xs text-red-700 hover:bg-red-50 focus-visible:outline-2 focus-visible:outline-indigo-600 dark:border-red-800 dark:text-red-300 dark:hover:bg-red-950"
                      >
                        {t('keys.revoke')}
                      </button>
                    }
                  />
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The key's state; "expired" stands out, since such a key refuses every request. */
function KeyStatusBadge({ status }: { status: KeyStatus }) {
  const { t } = useI18n();
  switch (status) {
    case 'active':
      return <span>{t('keys.statusActive')}</span>;
    case 'revoked':
      return <span>{t('keys.statusRevoked')}</span>;
    case 'expired':
      return (
        <span className="rounded bg-amber-100 px-1.5 py-0.5 font-medium text-amber-900 dark:bg-amber-950 dark:text-amber-200">
          {t('keys.statusExpired')}
        </span>
      );
  }
}
