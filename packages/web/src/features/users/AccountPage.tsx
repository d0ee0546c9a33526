import { useState, type FormEvent } from 'react';
import { toast } from 'sonner';
import { InputField } from '../../components/InputField.js';
import { backend, describeError } from '../../lib/backend.js';
import { useAuth } from '../auth/auth-context.js';

/** `/account`: the signed-in user's own account; changing the password. */
export function AccountPage() {
  const { principal, handleUnauthorized } = useAuth();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  const [saving, setSaving] = useState(false);
  const mismatch = repeat !== '' && repeat !== next;

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    if (mismatch) return;
    setSaving(true);
    setProblem(undefined);
    try {
      await backend.changePassword(current, next);
      toast.success('Password changed; your other sessions were signed out');
      setCurrent('');
      setNext('');
      setRepeat('');
    } catch (error) {
      // A wrong current password is 401 AUTH_FAILED, not an expired session.
      if (!(error instanceof Error && 'code' in error && error.code === 'AUTH_FAILED')) {
        if (handleUnauthorized(error)) return;
      }
      setProblem(describeError(error));
    } finally {
      setSaving(false);
    }
  }

  return (
    <section aria-labelledby="account-title" className="max-w-md space-y-4">
      <h2 id="account-title" className="text-lg font-semibold">
        Account
      </h2>
      <p className="text-sm text-slate-600 dark:text-slate-300">
        Signed in as {principal.name} ({principal.role}).
      </p>
      {principal.kind !== 'user' ? (
        <p className="text-sm">Only a signed-in user has a password to change.</p>
      ) : (
        <form
          onSubmit={(event) => void submit(event)}
          aria-label="Change password"
          className="space-y-3 rounded-lg border border-slate-200 p-4 dark:border-slate-800"
        >
          <InputField
            id="current-password"
            label="Current password"
            type="password"
            required
            autoComplete="current-password"
            value={current}
            onChange={setCurrent}
          />
          <InputField
            id="new-password"
            label="New password"
            type="password"
            required
            minLength={8}
            autoComplete="new-password"
            value={next}
            onChange={setNext}
            hint="At least 8 characters. Your other sessions are signed out."
          />
          <InputField
            id="repeat-password"
            label="Repeat the new password"
            type="password"
            required
            autoComplete="new-password"
            value={repeat}
            onChange={setRepeat}
            error={mismatch ? 'The two new passwords differ.' : undefined}
          />
          {problem !== undefined && (
            <p role="alert" className="text-sm text-red-700 dark:text-red-300">
              Not changed: {problem}
            </p>
          )}
          <button
            type="submit"
            disabled={saving || current === '' || next.length < 8 || mismatch}
            className="min-h-11 rounded bg-indigo-600 px-4 text-sm font-medium text-white hover:bg-indigo-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:opacity-50 sm:min-h-9"
          >
            Change password
          </button>
        </form>
      )}
    </section>
  );
}
