import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { toast } from 'sonner';
import { backend, describeError, type Pipeline } from '../../lib/backend.js';
import { useI18n } from '../../i18n/i18n-context.js';
import { richText } from '../../i18n/rich-text.js';
import { useAuth } from '../auth/auth-context.js';
import { ErrorPanel, RetryButton } from '../../components/ErrorPanel.js';
import { InputField } from '../../components/InputField.js';
import { SelectField, type SelectOption } from '../../components/SelectField.js';
import { ExpiryField } from './ExpiryField.js';
import { ApiKeysTable, type ApiKey } from './ApiKeysTable.js';
import { expiresAtOf, type ExpiryChoice } from './key-expiry.js';

type Role = ApiKey['role'];

/** API keys (admin): create (the secret is shown once, optionally expiring), list, revoke. */
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
  const [expiryChoice, setExpiryChoice] = useState<ExpiryChoice>('never');
  const [expiryDate, setExpiryDate] = useState('');
  const [expiryError, setExpiryError] = useState<string | undefined>();
  const { t } = useI18n();
  // The latest translator, for the load callbacks that must stay stable across a switch.
  const translate = useRef(t);
  translate.current = t;
  const roles: readonly SelectOption<Role>[] = [
    { value: 'member', label: t('common.roleMember') },
    { value: 'admin', label: t('common.roleAdmin') },
  ];

  const fail = useCallback(
    (describe: (error: string) => string, error: unknown): void => {
      if (!handleUnauthorized(error)) toast.error(describe(describeError(error)));
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
        fail((reason) => translate.current('keys.pipelinesFailed', { error: reason }), error),
      );
  }, [load, fail]);

  const pipelineName = (uuid: string): string =>
    pipelines.find((pipeline) => pipeline.uuid === uuid)?.name ?? uuid;

  async function create(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    const expiry = expiresAtOf(expiryChoice, expiryDate, new Date(), t);
    if (!expiry.ok) {
      setExpiryError(expiry.error);
      return;
    }
    setExpiryError(undefined);
    try {
      const result = await backend.createApiKey({
        name: name.trim(),
        role,
        pipelines: scope.length === 0 ? null : scope,
        expires_at: expiry.expiresAt,
      });
      setCreated({ name: result.api_key.name, key: result.key });
      setName('');
      setScope([]);
      setExpiryChoice('never');
      setExpiryDate('');
      await load();
    } catch (error) {
      fail((reason) => t('keys.createFailed', { error: reason }), error);
    }
  }

  async function remove(key: ApiKey): Promise<void> {
    try {
      await backend.deleteRevokedApiKey(key.id);
      toast.success(t('keys.deleted', { name: key.name }));
      await load();
    } catch (error) {
      fail((reason) => t('keys.deleteFailed', { error: reason }), error);
    }
  }

  async function revoke(key: ApiKey): Promise<void> {
    try {
      await backend.revokeApiKey(key.id);
      toast.success(t('keys.revoked', { name: key.name }));
      await load();
    } catch (error) {
      fail((reason) => t('keys.revokeFailed', { error: reason }), error);
    }
  }

  return (
    <section aria-labelledby="keys-title" className="space-y-6">
      <h2 id="keys-title" className="text-lg font-semibold">
        {t('keys.title')}
      </h2>
      <form
        onSubmit={(event) => void create(event)}
        aria-label={t('keys.createForm')}
        className="flex flex-wrap items-start gap-2 rounded-lg border border-slate-200 p-4 dark:border-slate-800"
      >
        <div className="w-56">
          <InputField
            id="key-name"
            label={t('keys.name')}
            required
            maxLength={100}
            value={name}
            onChange={setName}
          />
        </div>
        <div className="w-36">
          <SelectField
            id="key-role"
            label={t('keys.role')}
            value={role}
            options={roles}
            onChange={setRole}
          />
        </div>
        <ExpiryField
          choice={expiryChoice}
          date={expiryDate}
          onChoiceChange={(choice) => {
            setExpiryChoice(choice);
            setExpiryError(undefined);
          }}
          onDateChange={(date) => {
            setExpiryDate(date);
            setExpiryError(undefined);
          }}
          error={expiryError}
        />
        <fieldset className="w-full min-w-0">
          <legend className="text-sm font-medium">{t('keys.scope')}</legend>
          <p className="text-xs text-slate-600 dark:text-slate-300">{t('keys.scopeHint')}</p>
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
          {t('keys.create')}
        </button>
      </form>
      {created !== undefined && (
        <div
          role="alert"
          className="space-y-2 rounded-lg border border-amber-300 bg-amber-50 p-4 dark:border-amber-700 dark:bg-amber-950"
        >
          <p className="text-sm">
            {richText(t('keys.shownOnce'), { name: <strong>{created.name}</strong> })}
          </p>
          <code className="block rounded bg-white px-2 py-1 font-mono text-sm break-all select-all dark:bg-slate-900">
            {created.key}
          </code>
          <div className="flex gap-2">
            <button
              type="button"
              onClick={() =>
                void navigator.clipboard.writeText(created.key).then(
                  () => toast.success(t('keys.copied')),
                  () => toast.error(t('keys.copyFailed')),
                )
              }
              className="rounded border border-slate-300 px-2 py-1 text-sm dark:border-slate-700"
            >
              {t('keys.copy')}
            </button>
            <button
              type="button"
              onClick={() => setCreated(undefined)}
              className="rounded border border-slate-300 px-2 py-1 text-sm dark:border-slate-700"
            >
              {t('keys.done')}
            </button>
          </div>
        </div>
      )}
      {loadError !== undefined ? (
        <ErrorPanel message={t('keys.loadFailed', { error: loadError })}>
          <RetryButton onRetry={() => void load()} />
        </ErrorPanel>
      ) : keys === undefined ? (
        <p role="status" className="text-slate-500">
          {t('common.loading')}
        </p>
      ) : (
        <ApiKeysTable keys={keys} pipelineName={pipelineName} onRevoke={revoke} onDelete={remove} />
      )}
    </section>
  );
}
