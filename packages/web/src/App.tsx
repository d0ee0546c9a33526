import { useState } from 'react';
import { useAuth } from './features/auth/auth-context.js';
import { ApiKeysPage } from './features/api-keys/ApiKeysPage.js';
import { ConnectionsPage } from './features/connections/ConnectionsPage.js';
import { PipelinesPage } from './features/pipelines/PipelinesPage.js';

type Page = 'pipelines' | 'connections' | 'api-keys';

const PAGES: { id: Page; label: string; adminOnly: boolean }[] = [
  { id: 'pipelines', label: 'Pipelines', adminOnly: false },
  { id: 'connections', label: 'Connections', adminOnly: true },
  { id: 'api-keys', label: 'API keys', adminOnly: true },
];

/** The signed-in console: a header with navigation and the current page. */
export function App() {
  const { principal, signOut } = useAuth();
  const [page, setPage] = useState<Page>('pipelines');
  const pages = PAGES.filter((entry) => !entry.adminOnly || principal.role === 'admin');

  return (
    <div className="min-h-screen">
      <header className="border-b border-slate-200 dark:border-slate-800">
        <div className="mx-auto flex max-w-5xl flex-wrap items-center gap-4 px-4 py-3">
          <h1 className="text-lg font-semibold">Botwire</h1>
          <nav aria-label="Main" className="flex gap-1">
            {pages.map((entry) => (
              <button
                key={entry.id}
                type="button"
                onClick={() => setPage(entry.id)}
                aria-current={page === entry.id ? 'page' : undefined}
                className={`rounded px-3 py-1.5 text-sm focus-visible:outline-2 focus-visible:outline-indigo-600 ${
                  page === entry.id
                    ? 'bg-slate-200 font-medium dark:bg-slate-800'
                    : 'hover:bg-slate-100 dark:hover:bg-slate-900'
                }`}
              >
                {entry.label}
              </button>
            ))}
          </nav>
          <span className="ml-auto text-sm text-slate-500 dark:text-slate-400">
            {principal.name} ({principal.role})
          </span>
          <button
            type="button"
            onClick={() => void signOut()}
            className="rounded border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-600 dark:border-slate-700 dark:hover:bg-slate-900"
          >
            Sign out
          </button>
        </div>
      </header>
      <main className="mx-auto max-w-5xl px-4 py-6">
        {page === 'pipelines' && <PipelinesPage />}
        {page === 'connections' && <ConnectionsPage />}
        {page === 'api-keys' && <ApiKeysPage />}
      </main>
    </div>
  );
}
