import { useState, type FormEvent } from 'react';
import { toast } from 'sonner';
import { InputField } from '../../components/InputField.js';
import { backend, describeError } from '../../lib/backend.js';
import { useI18n } from '../../i18n/i18n-context.js';
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
  const { t } = useI18n();

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    if (mismatch) return;
    setSaving(true);
    setProblem(undefined);
    try {
      await backend.changePassword(current, next);
      toast.success(t('account.changed'));
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
        {t('account.title')}
      </h2>
      <p className="text-sm text-slate-600 dark:text-slate-300">
        {t('account.signedInAs', {
          name: principal.name,
          role: t(principal.role === 'admin' ? 'common.roleAdmin' : 'common.roleMember'),
        })}
      </p>
      {principal.kind !== 'user' ? (
        <p className="text-sm">{t('account.noPassword')}</p>
      ) : (
        <form
          onSubmit={(event) => void submit(event)}
          aria-label={t('account.form')}
          className="space-y-3 rounded-lg border border-slate-200 p-4 dark:border-slate-800"
        >
          <InputField
            id="current-password"
            label={t('account.current')}
            type="password"
            required
            autoComplete="current-password"
            value={current}
            onChange={setCurrent}
          />
          <InputField
            id="new-password"
            label={t('account.new')}
            type="password"
            required
            minLength={8}
            autoComplete="new-password"
            value={next}
            onChange={setNext}
            hint={t('account.newHint')}
          />
          <InputField
            id="repeat-password"
            label={t('account.repeat')}
            type="password"
            required
            autoComplete="new-password"
            value={repeat}
            onChange={setRepeat}
            error={mismatch ? t('account.mismatch') : undefined}
          />
          {problem !== undefined && (
            <p role="alert" className="text-sm text-red-700 dark:text-red-300">
              {t('account.notChanged', { error: problem })}
            </p>
          )}
          <button
            type="submit"
            disabled={saving || current === '' || next.length < 8 || mismatch}
            className="min-h-11 rounded bg-indigo-600 px-4 text-sm font-medium text-white hover:bg-indigo-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:opacity-50 sm:min-h-9"
          >
            {t('account.submit')}
          </button>
        </form>
      )}
    </section>
  );
}
