import type { ChatMessage, ConversationSummary } from '@botwire/client';
import { useCallback, useEffect, useState } from 'react';
import { Link } from 'wouter';
import { ERROR_ACTION_CLASS, ErrorPanel, RetryButton } from '../../components/ErrorPanel.js';
import { TableHead } from '../../components/TableHead.js';
import { backend, describeError, type Pipeline } from '../../lib/backend.js';
import type { MessageKey } from '../../i18n/catalogues.js';
import { useI18n } from '../../i18n/i18n-context.js';
import { VisitorBadge } from './VisitorBadge.js';
import { isVisitorConversation } from './visitor-conversation.js';
import type { Translate } from '../../i18n/translate.js';
import { useAuth } from '../auth/auth-context.js';
import { MessageItem } from '../chat/MessageItem.js';
import { ReplyFigures } from '../chat/ReplyFigures.js';
import {
  ConversationMissingError,
  exportFileName,
  exportJson,
  loadAllMessages,
} from './conversation-export.js';

const PAGE_SIZE = 50;
const BUTTON =
  'inline-flex min-h-11 items-center rounded border border-slate-300 px-3 text-sm hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-600 disabled:opacity-60 sm:min-h-8 dark:border-slate-700 dark:hover:bg-slate-800';

type Loaded<T> =
  { state: 'loading' } | { state: 'failed'; message: string } | { state: 'ready'; value: T };

/** The words for the statuses of a reply without text. */
const STATUS_WORD: Partial<Record<ChatMessage['status'], MessageKey>> = {
  cancelled: 'message.badgeCancelled',
  error: 'message.badgeError',
  interrupted: 'message.badgeInterrupted',
};

function preview(message: ChatMessage | null, t: Translate): string {
  if (message === null) return '—';
  const text = message.content.replace(/\s+/g, ' ').trim();
  if (text.length > 80) return `${text.slice(0, 80)}…`;
  if (text !== '') return text;
  const status = STATUS_WORD[message.status];
  return `(${status === undefined ? message.status : t(status)})`;
}

/** "person" or "group" in the console's language. */
function sessionTypeWord(conversation: ConversationSummary, t: Translate): string {
  return t(conversation.session_type === 'group' ? 'conversations.group' : 'conversations.person');
}

/** Whether the signed-in principal can write to the conversation (their own, or a group). */
function canContinue(conversation: ConversationSummary, principalId: string): boolean {
  if (isVisitorConversation(conversation)) return false;
  return conversation.session_type === 'group' || conversation.owner === principalId;
}

function chatHref(pipelineUuid: string, conversation: ConversationSummary): string {
  const query = new URLSearchParams({ type: conversation.session_type });
  if (conversation.session !== 'default') query.set('session', conversation.session);
  return `/pipelines/${pipelineUuid}/chat?${query.toString()}`;
}

/** Saves `text` as a file through a temporary link (no server round trip). */
function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** One conversation, read-only: its messages newest page first, older pages on demand, export. */
function ConversationView({
  pipeline,
  conversation,
}: {
  pipeline: Pipeline;
  conversation: ConversationSummary;
}) {
  const { principal, handleUnauthorized } = useAuth();
  const [messages, setMessages] = useState<ChatMessage[]>([]);
  const [hasMore, setHasMore] = useState(false);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | undefined>();
  const [exporting, setExporting] = useState(false);
  const { t } = useI18n();

  const load = useCallback(
    async (before: number | undefined) => {
      setLoading(true);
      setError(undefined);
      try {
        const page = await backend.getConversationMessages(pipeline.uuid, conversation.id, {
          limit: PAGE_SIZE,
          ...(before === undefined ? {} : { before }),
        });
        setMessages((current) =>
          before === undefined ? page.messages : [...page.messages, ...current],
        );
        setHasMore(page.has_more);
      } catch (failure) {
        if (!handleUnauthorized(failure)) setError(describeError(failure));
      } finally {
        setLoading(false);
      }
    },
    [pipeline.uuid, conversation.id, handleUnauthorized],
  );

  useEffect(() => {
    void load(undefined);
  }, [load]);

  async function exportAll(): Promise<void> {
    setExporting(true);
    try {
      const all = await loadAllMessages((before) =>
        backend.getConversationMessages(pipeline.uuid, conversation.id, {
          limit: 500,
          ...(before === undefined ? {} : { before }),
        }),
      );
      download(
        exportFileName(pipeline.name, conversation.id),
        exportJson({
          exported_at: new Date().toISOString(),
          pipeline: { uuid: pipeline.uuid, name: pipeline.name },
          conversation: all.conversation,
          messages: all.messages,
        }),
      );
    } catch (failure) {
      if (failure instanceof ConversationMissingError) {
        setError(t('conversations.conversationMissing'));
      } else if (!handleUnauthorized(failure)) {
        setError(describeError(failure));
      }
    } finally {
      setExporting(false);
    }
  }

  const own = (message: ChatMessage): boolean =>
    message.sender == null
      ? conversation.owner === principal.id
      : message.sender.id === principal.id;

  return (
    <section
      aria-label={t('conversations.region', { id: conversation.id })}
      className="space-y-3 rounded-lg border border-slate-200 p-3 dark:border-slate-800"
    >
      <div className="flex flex-wrap items-center gap-2">
        <h3 className="flex-1 font-semibold">
          {sessionTypeWord(conversation, t)} · {conversation.session}
          {conversation.owner !== null && ` · ${conversation.owner}`} {t('conversations.readOnly')}
          {isVisitorConversation(conversation) && <VisitorBadge />}
        </h3>
        <button
          type="button"
          onClick={() => void exportAll()}
          disabled={exporting}
          className={BUTTON}
        >
          {exporting ? t('conversations.exporting') : t('conversations.export')}
        </button>
        {canContinue(conversation, principal.id) && (
          <Link href={chatHref(pipeline.uuid, conversation)} className={BUTTON}>
            {t('conversations.continue')}
          </Link>
        )}
      </div>
      {isVisitorConversation(conversation) && (
        <p className="text-sm text-slate-600 dark:text-slate-300">{t('widget.visitorReadOnly')}</p>
      )}
      {error !== undefined && (
        <ErrorPanel message={t('conversations.messagesFailed', { error })}>
          <RetryButton onRetry={() => void load(undefined)} />
        </ErrorPanel>
      )}
      {hasMore && (
        <button
          type="button"
          onClick={() => void load(messages[0]?.id)}
          disabled={loading}
          className={BUTTON}
        >
          {t('conversations.loadOlder')}
        </button>
      )}
      <div role="log" aria-label={t('conversations.messagesLog')} className="space-y-3">
        {messages.map((message) => (
          <MessageItem
            key={message.id}
            message={message}
            botName={pipeline.name}
            own={own(message)}
            figures={
              message.figures == null ? undefined : <ReplyFigures figures={message.figures} />
            }
          />
        ))}
        {!loading && messages.length === 0 && error === undefined && (
          <p className="text-sm text-slate-600 dark:text-slate-300">
            {t('conversations.noMessages')}
          </p>
        )}
      </div>
      {loading && (
        <p role="status" className="text-sm text-slate-600 dark:text-slate-300">
          {t('conversations.loadingMessages')}
        </p>
      )}
    </section>
  );
}

/**
 * `/pipelines/:uuid/conversations`: the pipeline's conversations (an admin sees all, a member
 * the groups and their own), newest activity first; open any one read-only, page back through
 * it, export it as JSON, or continue it in the debug chat when it is yours or a group's.
 */
export function ConversationsPage({ uuid }: { uuid: string }) {
  const { handleUnauthorized } = useAuth();
  const [loaded, setLoaded] = useState<
    Loaded<{ pipeline: Pipeline; conversations: ConversationSummary[] }>
  >({
    state: 'loading',
  });
  const [openId, setOpenId] = useState<number | undefined>();
  const [attempt, setAttempt] = useState(0);
  const { t } = useI18n();

  useEffect(() => {
    let active = true;
    setLoaded({ state: 'loading' });
    Promise.all([backend.getPipeline(uuid), backend.listConversations(uuid, { limit: 500 })]).then(
      ([pipeline, conversations]) => {
        if (active) setLoaded({ state: 'ready', value: { pipeline, conversations } });
      },
      (error: unknown) => {
        if (active && !handleUnauthorized(error)) {
          setLoaded({ state: 'failed', message: describeError(error) });
        }
      },
    );
    return () => {
      active = false;
    };
  }, [uuid, attempt, handleUnauthorized]);

  if (loaded.state === 'loading') {
    return (
      <p role="status" className="text-slate-600 dark:text-slate-300">
        {t('conversations.loading')}
      </p>
    );
  }
  if (loaded.state === 'failed') {
    return (
      <ErrorPanel message={t('conversations.loadFailed', { error: loaded.message })}>
        <RetryButton onRetry={() => setAttempt((count) => count + 1)} />
        <Link href="/pipelines" className={ERROR_ACTION_CLASS}>
          {t('editor.backToList')}
        </Link>
      </ErrorPanel>
    );
  }
  const { pipeline, conversations } = loaded.value;
  const open = conversations.find((conversation) => conversation.id === openId);

  return (
    <section aria-labelledby="conversations-title" className="space-y-4">
      <div className="flex flex-wrap items-center gap-x-4 gap-y-1">
        <h2 id="conversations-title" className="flex-1 text-lg font-semibold">
          {t('conversations.title', { name: pipeline.name })}
        </h2>
        <Link
          href={`/pipelines/${pipeline.uuid}/chat`}
          className="inline-flex min-h-11 items-center text-sm text-indigo-700 underline-offset-2 hover:underline sm:min-h-0 dark:text-indigo-300"
        >
          {t('conversations.debugChat')}
        </Link>
      </div>
      <div
        role="region"
        aria-label={t('conversations.table')}
        tabIndex={0}
        className="relative overflow-x-auto focus-visible:outline-2 focus-visible:outline-indigo-600"
      >
        <table className="w-full text-left text-sm">
          <caption className="sr-only">
            {t('conversations.caption', { name: pipeline.name })}
          </caption>
          <TableHead
            columns={[
              t('conversations.type'),
              t('conversations.session'),
              t('conversations.owner'),
              t('conversations.messages'),
              t('conversations.lastMessage'),
              '',
            ]}
          />
          <tbody>
            {conversations.length === 0 && (
              <tr>
                <td colSpan={6} className="p-2 text-slate-600 dark:text-slate-300">
                  {t('conversations.empty')}
                </td>
              </tr>
            )}
            {conversations.map((conversation) => (
              <tr key={conversation.id} className="border-b border-slate-100 dark:border-slate-900">
                <td className="p-2">{sessionTypeWord(conversation, t)}</td>
                <td className="p-2 font-mono">{conversation.session}</td>
                <td className="p-2">
                  {conversation.owner ?? '—'}
                  {isVisitorConversation(conversation) && <VisitorBadge />}
                </td>
                <td className="p-2 tabular-nums">{conversation.message_count}</td>
                <td className="max-w-xs truncate p-2" title={conversation.last_message?.content}>
                  {preview(conversation.last_message, t)}
                </td>
                <td className="p-2 text-right whitespace-nowrap">
                  <button
                    type="button"
                    aria-pressed={openId === conversation.id}
                    aria-label={
                      conversation.owner === null
                        ? t('conversations.viewLabel', {
                            type: sessionTypeWord(conversation, t),
                            session: conversation.session,
                          })
                        : t('conversations.viewLabelOwner', {
                            type: sessionTypeWord(conversation, t),
                            session: conversation.session,
                            owner: conversation.owner,
                          })
                    }
                    onClick={() =>
                      setOpenId(openId === conversation.id ? undefined : conversation.id)
                    }
                    className={BUTTON}
                  >
                    {t('conversations.view')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {open !== undefined && (
        <ConversationView key={open.id} pipeline={pipeline} conversation={open} />
      )}
    </section>
  );
}
