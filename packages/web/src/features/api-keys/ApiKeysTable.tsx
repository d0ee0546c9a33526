import { ConfirmDialog } from '../../components/ConfirmDialog.js';
import { TableHead } from '../../components/TableHead.js';
import type { backend } from '../../lib/backend.js';
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
  return (
    <div
      role="region"
      aria-label="API keys table"
      tabIndex={0}
      className="relative overflow-x-auto focus-visible:outline-2 focus-visible:outline-indigo-600"
    >
      <table className="w-full text-left text-sm">
        <TableHead
          columns={[
            'Name',
            'Prefix',
            'Role',
            'Pipelines',
            'Created',
            'Last used',
            'Expires',
            'Status',
            '',
          ]}
        />
        <tbody>
          {keys.length === 0 && (
            <tr>
              <td colSpan={9} className="p-2 text-slate-600 dark:text-slate-300">
                No API keys yet. Create one above for a bot, a script or the CLI.
              </td>
            </tr>
          )}
          {keys.map((key) => (
            <tr key={key.id} className="border-b border-slate-100 dark:border-slate-900">
              <td className="p-2">{key.name}</td>
              <td className="p-2 font-mono">{key.prefix}…</td>
              <td className="p-2">{key.role}</td>
              <td className="p-2">
                {key.pipelines === null ? 'all' : key.pipelines.map(pipelineName).join(', ')}
              </td>
              <td className="p-2">{formatDate(key.created_at)}</td>
              <td className="p-2">
                {key.last_used_at === null ? 'never' : formatDate(key.last_used_at)}
              </td>
              <td className="p-2">
                {key.expires_at === null ? 'never' : formatDate(key.expires_at)}
              </td>
              <td className="p-2">
                <KeyStatusBadge status={keyStatusOf(key)} />
              </td>
              <td className="p-2 text-right">
                {key.revoked_at !== null && (
                  <ConfirmDialog
                    title={`Delete "${key.name}" from the list?`}
                    description="The revoked key disappears from this list for good. It already works nowhere."
                    confirmLabel="Delete key"
                    onConfirm={() => onDelete(key)}
                    trigger={
                      <button
                        type="button"
                        aria-label={`Delete ${key.name}`}
                        className="min-h-11 rounded border border-slate-300 px-2 text-xs hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-600 sm:min-h-7 dark:border-slate-700 dark:hover:bg-slate-800"
                      >
                        Delete
                      </button>
                    }
                  />
                )}
                {key.revoked_at === null && (
                  <ConfirmDialog
                    title={`Revoke "${key.name}"?`}
                    description="Clients using this key are disconnected at once and can no longer sign in with it. This cannot be undone."
                    confirmLabel="Revoke key"
                    onConfirm={() => onRevoke(key)}
                    trigger={
                      <button
                        type="button"
                        aria-label={`Revoke ${key.name}`}
                        className="rounded border border-red-300 px-2 py-1 text-xs text-red-700 hover:bg-red-50 focus-visible:outline-2 focus-visible:outline-indigo-600 dark:border-red-800 dark:text-red-300 dark:hover:bg-red-950"
                      >
                        Revoke
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
  switch (status) {
    case 'active':
      return <span>active</span>;
    case 'revoked':
      return <span>revoked</span>;
    case 'expired':
      return (
        <span className="rounded bg-amber-100 px-1.5 py-0.5 font-medium text-amber-900 dark:bg-amber-950 dark:text-amber-200">
          expired
        </span>
      );
  }
}

function formatDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}
