import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { toast } from 'sonner';
import { ConfirmDialog } from '../../components/ConfirmDialog.js';
import { ErrorPanel, RetryButton } from '../../components/ErrorPanel.js';
import { InputField } from '../../components/InputField.js';
import { SelectField, type SelectOption } from '../../components/SelectField.js';
import { TableHead } from '../../components/TableHead.js';
import { backend, describeError } from '../../lib/backend.js';
import { useI18n } from '../../i18n/i18n-context.js';
import type { Translate } from '../../i18n/translate.js';
import { useAuth } from '../auth/auth-context.js';

type User = Awaited<ReturnType<typeof backend.listUsers>>[number];
type Role = User['role'];

/** A role in the console's language. */
function roleWord(role: Role, t: Translate): string {
  return t(role === 'admin' ? 'common.roleAdmin' : 'common.roleMember');
}

const SMALL_BUTTON =
  'min-h-11 rounded border px-2 text-xs focus-visible:outline-2 focus-visible:outline-indigo-600 sm:min-h-7';

/** Console accounts (admin): create, change role, delete. */
export function UsersPage() {
  const { principal, handleUnauthorized } = useAuth();
  const [users, setUsers] = useState<User[] | undefined>();
  const [loadError, setLoadError] = useState<string | undefined>();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<Role>('member');
  const [problem, setProblem] = useState<string | undefined>();
  const { t, format } = useI18n();
  const roles: readonly SelectOption<Role>[] = [
    { value: 'member', label: roleWord('member', t) },
    { value: 'admin', label: roleWord('admin', t) },
  ];

  const fail = useCallback(
    (describe: (error: string) => string, error: unknown): void => {
      if (!handleUnauthorized(error)) toast.error(describe(describeError(error)));
    },
    [handleUnauthorized],
  );

  const load = useCallback(async (): Promise<void> => {
    try {
      setUsers(await backend.listUsers());
      setLoadError(undefined);
    } catch (error) {
      if (!handleUnauthorized(error)) setLoadError(describeError(error));
    }
  }, [handleUnauthorized]);

  useEffect(() => {
    void load();
  }, [load]);

  async function create(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    setProblem(undefined);
    try {
      const user = await backend.createUser({ username: username.trim(), password, role });
      toast.success(t('users.created', { name: user.username }));
      setUsername('');
      setPassword('');
      await load();
    } catch (error) {
      if (!handleUnauthorized(error)) setProblem(describeError(error));
    }
  }

  async function changeRole(user: User, next: Role): Promise<void> {
    try {
      await backend.changeUserRole(user.id, next);
      toast.success(t('users.roleChanged', { name: user.username, role: roleWord(next, t) }));
    } catch (error) {
      fail((reason) => t('users.roleChangeFailed', { name: user.username, error: reason }), error);
    }
    await load();
  }

  async function remove(user: User): Promise<void> {
    try {
      await backend.deleteUser(user.id);
      toast.success(t('users.deleted', { name: user.username }));
    } catch (error) {
      fail((reason) => t('users.deleteFailed', { name: user.username, error: reason }), error);
    }
    await load();
  }

  return (
    <section aria-labelledby="users-title" className="space-y-6">
      <h2 id="users-title" className="text-lg font-semibold">
        {t('users.title')}
      </h2>
      <form
        onSubmit={(event) => void create(event)}
        aria-label={t('users.createForm')}
        className="flex flex-wrap items-end gap-2 rounded-lg border border-slate-200 p-4 dark:border-slate-800"
      >
        <div className="w-full sm:w-48">
          <InputField
            id="user-name"
            label={t('users.username')}
            required
            autoComplete="off"
            value={username}
            onChange={setUsername}
          />
        </div>
        <div className="w-full sm:w-48">
          <InputField
            id="user-password"
            label={t('users.initialPassword')}
            type="password"
            required
            autoComplete="new-password"
            value={password}
            onChange={setPassword}
            hint={t('users.passwordHint')}
          />
        </div>
        <div className="w-36">
          <SelectField
            id="user-role"
            label={t('users.role')}
            value={role}
            options={roles}
            onChange={setRole}
          />
        </div>
        <button
          type="submit"
          disabled={username.trim() === '' || password === ''}
          className="min-h-11 rounded bg-indigo-600 px-3 text-sm font-medium text-white hover:bg-indigo-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:opacity-50"
        >
          {t('users.create')}
        </button>
        {problem !== undefined && (
          <p role="alert" className="w-full text-sm text-red-700 dark:text-red-300">
            {t('users.notCreated', { error: problem })}
          </p>
        )}
      </form>
      {loadError !== undefined ? (
        <ErrorPanel message={t('users.loadFailed', { error: loadError })}>
          <RetryButton onRetry={() => void load()} />
        </ErrorPanel>
      ) : users === undefined ? (
        <p role="status" className="text-slate-600 dark:text-slate-300">
          {t('common.loading')}
        </p>
      ) : (
        <div
          role="region"
          aria-label={t('users.table')}
          tabIndex={0}
          className="relative overflow-x-auto focus-visible:outline-2 focus-visible:outline-indigo-600"
        >
          <table className="w-full text-left text-sm">
            <caption className="sr-only">{t('users.caption')}</caption>
            <TableHead
              columns={[t('users.username'), t('users.role'), t('users.createdColumn'), '']}
            />
            <tbody>
              {users.map((user) => {
                const next: Role = user.role === 'admin' ? 'member' : 'admin';
                const self = `user:${user.id}` === principal.id;
                return (
                  <tr key={user.id} className="border-b border-slate-100 dark:border-slate-900">
                    <td className="p-2">
                      {user.username}
                      {self && t('users.you')}
                    </td>
                    <td className="p-2">{roleWord(user.role, t)}</td>
                    <td className="p-2">{format.dateTime(user.created_at)}</td>
                    <td className="space-x-2 p-2 text-right whitespace-nowrap">
                      <ConfirmDialog
                        title={t(
                          next === 'admin' ? 'users.makeAdminTitle' : 'users.makeMemberTitle',
                          {
                            name: user.username,
                          },
                        )}
                        description={t('users.roleDescription', { name: user.username })}
                        confirmLabel={t(next === 'admin' ? 'users.makeAdmin' : 'users.makeMember')}
                        tone="default"
                        onConfirm={() => changeRole(user, next)}
                        trigger={
                          <button
                            type="button"
                            aria-label={t(
                              next === 'admin' ? 'users.makeAdminLabel' : 'users.makeMemberLabel',
                              { name: user.username },
                            )}
                            className={`${SMALL_BUTTON} border-slate-300 hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800`}
                          >
                            {t(next === 'admin' ? 'users.makeAdmin' : 'users.makeMember')}
                          </button>
                        }
                      />
                      <ConfirmDialog
                        title={t('users.deleteTitle', { name: user.username })}
                        description={t('users.deleteDescription')}
                        confirmLabel={t('users.deleteConfirm')}
                        onConfirm={() => remove(user)}
                        trigger={
                          <button
                            type="button"
                            aria-label={t('users.deleteLabel', { name: user.username })}
                            className={`${SMALL_BUTTON} border-red-300 text-red-700 hover:bg-red-50 dark:border-red-800 dark:text-red-300 dark:hover:bg-red-950`}
                          >
                            {t('common.delete')}
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
      )}
    </section>
  );
}
