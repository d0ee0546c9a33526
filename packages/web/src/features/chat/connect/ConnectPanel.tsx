import { useAuth } from '../../auth/auth-context.js';
import { useI18n } from '../../../i18n/i18n-context.js';
import { CopyButton } from '../CopyButton.js';
import { connectSnippets } from './connect-snippets.js';

/** How to reach this chat from a terminal or a program: the URL and copyable examples. */
export function ConnectPanel({
  pipelineUuid,
  sessionType,
  session,
}: {
  pipelineUuid: string;
  sessionType: 'person' | 'group';
  session?: string | undefined;
}) {
  const { principal } = useAuth();
  const { t } = useI18n();
  const snippets = connectSnippets(
    {
      origin: window.location.origin,
      pipelineUuid,
      sessionType,
      session,
      username: principal.name,
    },
    t,
  );
  return (
    <div className="space-y-4 text-sm">
      <p className="text-slate-600 dark:text-slate-300">{t('connect.intro')}</p>
      {snippets.map((snippet) => (
        <section key={snippet.id} aria-labelledby={`snippet-${snippet.id}`}>
          <div className="flex items-center justify-between gap-2">
            <h3 id={`snippet-${snippet.id}`} className="font-medium">
              {snippet.title}
            </h3>
            <CopyButton text={snippet.code} label={t('connect.copy', { title: snippet.title })} />
          </div>
          <pre
            tabIndex={0}
            aria-labelledby={`snippet-${snippet.id}`}
            className="mt-1 overflow-x-auto focus-visible:outline-2 focus-visible:outline-indigo-600 rounded bg-slate-100 p-2 text-xs dark:bg-slate-800"
          >
            <code>{snippet.code}</code>
          </pre>
        </section>
      ))}
    </div>
  );
}
