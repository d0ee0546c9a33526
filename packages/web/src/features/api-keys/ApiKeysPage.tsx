import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { toast } from 'sonner';
import { backend, describeError, type Pipeline } from '../../lib/backend.js';
import { useAuth } from '../auth/auth-context.js';
import { ErrorPanel, RetryButton } from '../../components/ErrorPanel.js';
import { ConfirmDialog } from '../../components/ConfirmDialog.js';
import { TableHead } from '../../components/TableHead.js';
import { InputField } from '../../components/InputField.js';
import { SelectField, type SelectOption } from '../../components/SelectField.js';

type ApiKey = Awaited<ReturnType<typeof backend.listApiKeys>>[number];
type Role = ApiKey['role'];

const ROLES: readonly SelectOption<Role>[] = [
  { value: 'member', label: 'member' },
  { value: 'admin', label: 'admin' },
];

/** API keys (admin): create (the secret is shown once), list, revoke. */
export function ApiKeysPage() {
  const { handleUnauthorized } = useAuth();
  const [keys, setKeys] = useState<ApiKey[] | undefined>();
  const [loadError, setLoadError] = useState<string | undefined>();
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('member');
  const [created, setCreated] = useState<{ name: string; key: string } | undefined>();
  const [pipelines, setPipelines] = useState<Pipeline[]>([]);
  /** The pipelines the new key is limited to; empty: all of them. */
  const [scope, setScope] = useState<string[]>([]);

  const fail = useCallback(
    (what: string, error: unknown): void => {
      if (!handleUnauthorized(error)) toast.error(`${what}: ${describeError(error)}`);
    },
    [handleUnauthorized],
  );

  const load = useCallback(async (): Promise<void> => {
    try {
      setKeys(await backend.listApiKeys());
      setLoadError(undefined);
    } catch (error) {
      if (!handleUnauthorized(error)) setLoadError(describeError(error));
    }
  }, [handleUnauthorized]);

  useEffect(() => {
    void load();
    backend
      .listPipelines()
      .then(setPipelines, (error: unknown) =>
        fail('Could not load the pipelines for the scope', error),
      );
  }, [load, fail]);

  const pipelineName = (uuid: string): string =>
    pipelines.find((pipeline) => pipeline.uuid === uuid)?.name ?? uuid;

  async function create(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    try {
      const result = await backend.createApiKey({
        name: name.trim(),
        role,
        pipelines: scope.length === 0 ? null : scope,
      });
      setCreated({ name: result.api_key.name, key: result.key });
      setName('');
      setScope([]);
      await load();
    } catch (error) {
      fail('Could not create the key', error);
    }
  }

  async function remove(key: ApiKey): Promise<void> {
    try {
      await backend.deleteRevokedApiKey(key.id);
      toast.success(`Deleted "${key.name}"`);
      await load();
    } catch (error) {
      fail('Could not delete the key', error);
    }
  }

  async function revoke(key: ApiKey): Promise<void> {
    try {
      await backend.revokeApiKey(key.id);
      toast.success(`Revoked "${key.name}"`);
      await load();
    } catch (error) {
      fail('Could not revoke the key', error);
    }
  }

  return (
    <section aria-labelledby="keys-title" className="space-y-6">
      <h2 id="keys-title" className="text-lg font-semibold">
        API keys
      </h2>
      <form
        onSubmit={(event) => void create(event)}
        aria-label="Create an API key"
        className="flex flex-wrap items-end gap-2 rounded-lg border border-slate-200 p-4 dark:border-slate-800"
      >
        <div className="w-56">
          <InputField
            id="key-name"
            label="Name"
            required
            maxLength={100}
            value={name}
            onChange={setName}
          />
        </div>
        <div className="w-36">
          <SelectField id="key-role" label="Role" value={role} options={ROLES} onChange={setRole} />
        </div>
        <fieldset className="w-full min-w-0">
          <legend className="text-sm font-medium">Pipelines the key may use</legend>
          <p className="text-xs text-slate-600 dark:text-slate-300">
            None ticked: every pipeline. Ticked: only those (chat, history, connections).
          </p>
          <div className="mt-1 flex flex-wrap gap-x-4 gap-y-1">
            {pipelines.map((pipeline) => (
              <label
                key={pipeline.uuid}
                className="flex min-h-11 items-center gap-2 text-sm sm:min-h-0"
              >
                <input
                  type="checkbox"
                  checked={scope.includes(pipeline.uuid)}
                  onChange={(event) =>
                    setScope((current) =>
                      event.target.checked
                        ? [...current, pipeline.uuid]
                        : current.filter((uuid) => uuid !== pipeline.uuid),
                    )
                  }
                />
                {pipeline.name}
              </label>
            ))}
          </div>
        </fieldset>
        <button
          type="submit"
          disabled={name.trim() === ''}
          className="rounded bg-indigo-600 px-3 py-2.5 text-sm font-medium text-white hover:bg-indigo-500 disabled:opacity-50"
        >
          Create key
        </button>
      </form>
      {created !== undefined && (
        <div
          role="alert"
          className="space-y-2 rounded-lg border border-amber-300 bg-amber-50 p-4 dark:border-amber-700 dark:bg-amber-950"
        >
          <p className="text-sm">
            The key <strong>{created.name}</strong> is shown this once. Copy it now:
          </p>
          <code className="block rounded bg-white px-2 py-1 font-mono text-sm break-all select-all dark:bg-slate-900">
            {created.key}
          </code>
          <div className="flex gap-2">
            <button
              type="button"
              onClick={() =>
                void navigator.clipboard.writeText(created.key).then(
                  () => toast.success('Copied'),
                  () => toast.error('Copy failed; select the key and copy it'),
                )
              }
              className="rounded border border-slate-300 px-2 py-1 text-sm dark:border-slate-700"
            >
              Copy
            </button>
            <button
              type="button"
              onClick={() => setCreated(undefined)}
              className="rounded border border-slate-300 px-2 py-1 text-sm dark:border-slate-700"
            >
              Done
            </button>
          </div>
        </div>
      )}
      {loadError !== undefined ? (
        <ErrorPanel message={`Could not load API keys: ${loadError}`}>
          <RetryButton onRetry={() => void load()} />
        </ErrorPanel>
      ) : keys === undefined ? (
        <p role="status" className="text-slate-500">
          Loading…
        </p>
      ) : (
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
                'Status',
                '',
              ]}
            />
            <tbody>
              {keys.length === 0 && (
                <tr>
                  <td colSpan={8} className="p-2 text-slate-600 dark:text-slate-300">
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
                  <td className="p-2">{key.revoked_at === null ? 'active' : 'revoked'}</td>
                  <td className="p-2 text-right">
                    {key.revoked_at !== null && (
                      <ConfirmDialog
                        title={`Delete "${key.name}" from the list?`}
                        description="The revoked key disappears from this list for good. It already works nowhere."
                        confirmLabel="Delete key"
                        onConfirm={() => remove(key)}
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
                        onConfirm={() => revoke(key)}
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
      )}
    </section>
  );
}

function formatDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}
