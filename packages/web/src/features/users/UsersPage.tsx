import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { toast } from 'sonner';
import { ConfirmDialog } from '../../components/ConfirmDialog.js';
import { ErrorPanel, RetryButton } from '../../components/ErrorPanel.js';
import { InputField } from '../../components/InputField.js';
import { SelectField, type SelectOption } from '../../components/SelectField.js';
import { TableHead } from '../../components/TableHead.js';
import { backend, describeError } from '../../lib/backend.js';
import { useAuth } from '../auth/auth-context.js';

type User = Awaited<ReturnType<typeof backend.listUsers>>[number];
type Role = User['role'];

const ROLES: readonly SelectOption<Role>[] = [
  { value: 'member', label: 'member' },
  { value: 'admin', label: 'admin' },
];

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

  const fail = useCallback(
    (what: string, error: unknown): void => {
      if (!handleUnauthorized(error)) toast.error(`${what}: ${describeError(error)}`);
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
      toast.success(`Created ${user.username}`);
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
      toast.success(`${user.username} is now ${next}; they sign in again`);
    } catch (error) {
      fail(`Could not change the role of ${user.username}`, error);
    }
    await load();
  }

  async function remove(user: User): Promise<void> {
    try {
      await backend.deleteUser(user.id);
      toast.success(`Deleted ${user.username}`);
    } catch (error) {
      fail(`Could not delete ${user.username}`, error);
    }
    await load();
  }

  return (
    <section aria-labelledby="users-title" className="space-y-6">
      <h2 id="users-title" className="text-lg font-semibold">
        Users
      </h2>
      <form
        onSubmit={(event) => void create(event)}
        aria-label="Create a user"
        className="flex flex-wrap items-end gap-2 rounded-lg border border-slate-200 p-4 dark:border-slate-800"
      >
        <div className="w-full sm:w-48">
          <InputField
            id="user-name"
            label="Username"
            required
            autoComplete="off"
            value={username}
            onChange={setUsername}
          />
        </div>
        <div className="w-full sm:w-48">
          <InputField
            id="user-password"
            label="Initial password"
            type="password"
            required
            autoComplete="new-password"
            value={password}
            onChange={setPassword}
            hint="At least 8 characters"
          />
        </div>
        <div className="w-36">
          <SelectField
            id="user-role"
            label="Role"
            value={role}
            options={ROLES}
            onChange={setRole}
          />
        </div>
        <button
          type="submit"
          disabled={username.trim() === '' || password === ''}
          className="min-h-11 rounded bg-indigo-600 px-3 text-sm font-medium text-white hover:bg-indigo-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:opacity-50"
        >
          Create user
        </button>
        {problem !== undefined && (
          <p role="alert" className="w-full text-sm text-red-700 dark:text-red-300">
            Not created: {problem}
          </p>
        )}
      </form>
      {loadError !== undefined ? (
        <ErrorPanel message={`Could not load users: ${loadError}`}>
          <RetryButton onRetry={() => void load()} />
        </ErrorPanel>
      ) : users === undefined ? (
        <p role="status" className="text-slate-600 dark:text-slate-300">
          Loading…
        </p>
      ) : (
        <div
          role="region"
          aria-label="Users table"
          tabIndex={0}
          className="relative overflow-x-auto focus-visible:outline-2 focus-visible:outline-indigo-600"
        >
          <table className="w-full text-left text-sm">
            <caption className="sr-only">Console users</caption>
            <TableHead columns={['Username', 'Role', 'Created', '']} />
            <tbody>
              {users.map((user) => {
                const next: Role = user.role === 'admin' ? 'member' : 'admin';
                const self = `user:${user.id}` === principal.id;
                return (
                  <tr key={user.id} className="border-b border-slate-100 dark:border-slate-900">
                    <td className="p-2">
                      {user.username}
                      {self && ' (you)'}
                    </td>
                    <td className="p-2">{user.role}</td>
                    <td className="p-2">{new Date(user.created_at).toLocaleString()}</td>
                    <td className="space-x-2 p-2 text-right whitespace-nowrap">
                      <ConfirmDialog
                        title={`Make ${user.username} ${next === 'admin' ? 'an admin' : 'a member'}?`}
                        description={`${user.username} is signed out everywhere and signs in again with the new rights.`}
                        confirmLabel={`Make ${next}`}
                        tone="default"
                        onConfirm={() => changeRole(user, next)}
                        trigger={
                          <button
                            type="button"
                            aria-label={`Make ${next} (${user.username})`}
                            className={`${SMALL_BUTTON} border-slate-300 hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800`}
                          >
                            Make {next}
                          </button>
                        }
                      />
                      <ConfirmDialog
                        title={`Delete ${user.username}?`}
                        description="The account and its sessions are deleted and its live chats close. Its messages stay in their conversations."
                        confirmLabel="Delete user"
                        onConfirm={() => remove(user)}
                        trigger={
                          <button
                            type="button"
                            aria-label={`Delete ${user.username}`}
                            className={`${SMALL_BUTTON} border-red-300 text-red-700 hover:bg-red-50 dark:border-red-800 dark:text-red-300 dark:hover:bg-red-950`}
                          >
                            Delete
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
