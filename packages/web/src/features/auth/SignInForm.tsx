import { useState, type FormEvent } from 'react';
import { backend, describeError, type Principal } from '../../lib/backend.js';
import { InputField } from '../../components/InputField.js';
import { useI18n } from '../../i18n/i18n-context.js';
import { LanguageSwitch } from '../../i18n/LanguageSwitch.js';

/** The sign-in form: `POST /api/v1/auth/login` sets the session cookie. */
export function SignInForm({ onSignedIn }: { onSignedIn: (principal: Principal) => void }) {
  const [username, setUsername] = useState('admin');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const { t } = useI18n();

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await backend.login(username, password);
      // The cookie authenticates from now on (REST and WebSockets), as after a page reload.
      backend.setToken(undefined);
      onSignedIn(await backend.me());
    } catch (caught) {
      setError(describeError(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="flex min-h-screen flex-col items-center justify-center gap-4 p-4">
      <form
        onSubmit={(event) => void submit(event)}
        className="w-full max-w-sm space-y-4 rounded-lg border border-slate-200 p-6 shadow-sm dark:border-slate-800"
        aria-labelledby="sign-in-title"
      >
        <h1 id="sign-in-title" className="text-xl font-semibold">
          {t('auth.title')}
        </h1>
        <InputField
          id="username"
          name="username"
          label={t('auth.username')}
          autoComplete="username"
          required
          value={username}
          onChange={setUsername}
        />
        <InputField
          id="password"
          name="password"
          label={t('auth.password')}
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={setPassword}
        />
        {error !== undefined && (
          <p role="alert" className="text-sm text-red-600 dark:text-red-400">
            {error}
          </p>
        )}
        <button
          type="submit"
          disabled={busy}
          className="w-full rounded bg-indigo-600 px-3 py-2 font-medium text-white hover:bg-indigo-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:opacity-60"
        >
          {busy ? t('auth.signingIn') : t('auth.signIn')}
        </button>
      </form>
      <LanguageSwitch />
    </main>
  );
}
