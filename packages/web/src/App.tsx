import { lazy, Suspense } from 'react';
import { Link, Redirect, Route, Switch, useRoute } from 'wouter';
import { useAuth } from './features/auth/auth-context.js';
import { PipelinesPage } from './features/pipelines/PipelinesPage.js';
import { useI18n } from './i18n/i18n-context.js';
import type { MessageKey } from './i18n/catalogues.js';
import { LanguageSwitch } from './i18n/LanguageSwitch.js';
import { useThemeContext, type ThemePreference } from './lib/theme.js';

// The first screen (sign-in, then the pipelines list) loads alone; each other screen is its own
// chunk, fetched when first opened. The debug chat's chunk carries Markdown and code
// highlighting, the largest part of the console.
const ApiKeysPage = lazy(() =>
  import('./features/api-keys/ApiKeysPage.js').then((module) => ({ default: module.ApiKeysPage })),
);
const ChatRoute = lazy(() =>
  import('./features/chat/ChatRoute.js').then((module) => ({ default: module.ChatRoute })),
);
const UsersPage = lazy(() =>
  import('./features/users/UsersPage.js').then((module) => ({ default: module.UsersPage })),
);
const AccountPage = lazy(() =>
  import('./features/users/AccountPage.js').then((module) => ({ default: module.AccountPage })),
);
const ConversationsPage = lazy(() =>
  import('./features/conversations/ConversationsPage.js').then((module) => ({
    default: module.ConversationsPage,
  })),
);
const ConnectionsPage = lazy(() =>
  import('./features/connections/ConnectionsPage.js').then((module) => ({
    default: module.ConnectionsPage,
  })),
);
const PipelineEditorPage = lazy(() =>
  import('./features/pipelines/PipelineEditorPage.js').then((module) => ({
    default: module.PipelineEditorPage,
  })),
);

/**
 * Shown while a screen's chunk loads: a few milliseconds on the same host, seconds on a slow
 * link, so it must say something (the debug chat's chunk is the largest).
 */
function ScreenLoading() {
  const { t } = useI18n();
  return (
    <p role="status" className="flex items-center gap-2 text-slate-600 dark:text-slate-300">
      <span
        aria-hidden="true"
        className="inline-block size-4 animate-spin rounded-full border-2 border-slate-300 border-t-indigo-600"
      />
      {t('common.loading')}
    </p>
  );
}

const PAGES = [
  { path: '/pipelines', label: 'app.nav.pipelines', adminOnly: false },
  { path: '/connections', label: 'app.nav.connections', adminOnly: true },
  { path: '/api-keys', label: 'app.nav.apiKeys', adminOnly: true },
  { path: '/users', label: 'app.nav.users', adminOnly: true },
  { path: '/account', label: 'app.nav.account', adminOnly: false },
] as const satisfies readonly { path: string; label: MessageKey; adminOnly: boolean }[];

/** A header link that marks itself as the current page for its whole section. */
function NavigationLink({ path, label }: { path: string; label: string }) {
  const [exact] = useRoute(path);
  const [nested] = useRoute(`${path}/*`);
  const current = exact || nested;
  return (
    <Link
      href={path}
      aria-current={current ? 'page' : undefined}
      className={`rounded px-3 py-1.5 text-sm focus-visible:outline-2 focus-visible:outline-indigo-600 ${
        current
          ? 'bg-slate-200 font-medium dark:bg-slate-800'
          : 'hover:bg-slate-100 dark:hover:bg-slate-900'
      }`}
    >
      {label}
    </Link>
  );
}

/** System, light or dark: a native select, labelled, in the header. */
function ThemeSwitch() {
  const { preference, setPreference } = useThemeContext();
  const { t } = useI18n();
  return (
    <label className="flex items-center gap-1 text-sm">
      <span>{t('app.theme')}</span>
      <select
        value={preference}
        onChange={(event) => setPreference(event.target.value as ThemePreference)}
        className="min-h-11 rounded border border-slate-300 bg-white px-1 text-sm focus-visible:outline-2 focus-visible:outline-indigo-600 sm:min-h-8 dark:border-slate-700 dark:bg-slate-900"
      >
        <option value="system">{t('app.themeSystem')}</option>
        <option value="light">{t('app.themeLight')}</option>
        <option value="dark">{t('app.themeDark')}</option>
      </select>
    </label>
  );
}

/** The signed-in console: a header with navigation and the page the URL names. */
export function App() {
  const { principal, signOut } = useAuth();
  const { t } = useI18n();
  const admin = principal.role === 'admin';
  const pages = PAGES.filter((entry) => !entry.adminOnly || admin);
  // The debug chat is a workbench with a side panel: it takes the whole width.
  const [chatOpen] = useRoute('/pipelines/:uuid/chat');

  return (
    <div className="min-h-screen">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:rounded focus:bg-white focus:px-3 focus:py-2 dark:focus:bg-slate-900"
      >
        {t('app.skipToContent')}
      </a>
      <header className="border-b border-slate-200 dark:border-slate-800">
        <div className="mx-auto flex max-w-5xl flex-wrap items-center gap-x-4 gap-y-2 px-4 py-3">
          <h1 className="text-lg font-semibold">Botwire</h1>
          <nav aria-label={t('app.mainNavigation')} className="flex flex-wrap gap-1">
            {pages.map((entry) => (
              <NavigationLink key={entry.path} path={entry.path} label={t(entry.label)} />
            ))}
          </nav>
          <span className="ml-auto text-sm text-slate-600 dark:text-slate-300">
            {t('app.signedInAs', {
              name: principal.name,
              role: t(principal.role === 'admin' ? 'common.roleAdmin' : 'common.roleMember'),
            })}
          </span>
          <ThemeSwitch />
          <LanguageSwitch />
          <button
            type="button"
            onClick={() => void signOut()}
            className="rounded border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-600 dark:border-slate-700 dark:hover:bg-slate-900"
          >
            {t('app.signOut')}
          </button>
        </div>
      </header>
      <main
        id="main"
        className={`mx-auto px-4 ${chatOpen ? 'max-w-[100rem] py-3' : 'max-w-5xl py-6'}`}
      >
        <Suspense fallback={<ScreenLoading />}>
          <Switch>
            <Route path="/pipelines" component={PipelinesPage} />
            {admin && (
              <Route path="/pipelines/new">
                <PipelineEditorPage />
              </Route>
            )}
            {admin && (
              <Route path="/pipelines/:uuid/edit">
                {(params) => <PipelineEditorPage key={params.uuid} uuid={params.uuid} />}
              </Route>
            )}
            <Route path="/pipelines/:uuid/conversations">
              {(params) => <ConversationsPage key={params.uuid} uuid={params.uuid} />}
            </Route>
            <Route path="/pipelines/:uuid/chat">
              {(params) => <ChatRoute uuid={params.uuid} />}
            </Route>
            {admin && <Route path="/connections" component={ConnectionsPage} />}
            {admin && <Route path="/api-keys" component={ApiKeysPage} />}
            {admin && <Route path="/users" component={UsersPage} />}
            <Route path="/account" component={AccountPage} />
            <Route>
              <Redirect to="/pipelines" replace />
            </Route>
          </Switch>
        </Suspense>
      </main>
    </div>
  );
}
