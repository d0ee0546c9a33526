import type { ChatMessage, MessageChain, SessionType } from '@botwire/client';
import { useCallback, useEffect, useState } from 'react';
import { Link } from 'wouter';
import { Tabs } from '../../components/Tabs.js';
import { useI18n } from '../../i18n/i18n-context.js';
import { backend, type Pipeline } from '../../lib/backend.js';
import { useAuth } from '../auth/auth-context.js';
import { isTyping, streamingReply } from './chat-state.js';
import { Composer } from './Composer.js';
import { ConnectPanel } from './connect/ConnectPanel.js';
import { FrameInspector } from './frames/FrameInspector.js';
import { GroupHint } from './GroupHint.js';
import { supportedImageType } from './image-files.js';
import { chainParts } from './message-images.js';
import { describeImage } from './MessageImages.js';
import { MessageList } from './MessageList.js';
import { ReplyFigures } from './ReplyFigures.js';
import { ResetButton } from './ResetButton.js';
import { SessionSwitch } from './SessionSwitch.js';
import { ChatSettingsPanel } from './settings/ChatSettingsPanel.js';
import { StatusIndicator } from './StatusIndicator.js';
import { useChatConnection } from './useChatConnection.js';
import { useDraft } from './useDraft.js';
import { useImageAttachments } from './useImageAttachments.js';

type PanelId = 'settings' | 'frames' | 'connect';

/** The chain a stored user message was sent as (older messages kept only their text). */
function chainOf(message: ChatMessage): MessageChain {
  return message.message_chain.length > 0
    ? (message.message_chain as MessageChain)
    : [{ type: 'Plain', text: message.content }];
}

function figuresOf(reply: ChatMessage) {
  return reply.figures == null ? undefined : <ReplyFigures figures={reply.figures} />;
}

/**
 * The debug chat as a page: the conversation on the left and, beside it (below it on a
 * phone), the pipeline's settings, the frame inspector and how to connect from elsewhere.
 */
export function ChatPage({
  pipeline,
  onPipelineChange,
  initialSessionType = 'person',
  session,
}: {
  pipeline: Pipeline;
  onPipelineChange: (pipeline: Pipeline) => void;
  initialSessionType?: SessionType;
  /** A named conversation to continue (`?session=`); the default one when undefined. */
  session?: string | undefined;
}) {
  const { principal, handleUnauthorized } = useAuth();
  const [sessionType, setSessionType] = useState<SessionType>(initialSessionType);
  const [panel, setPanel] = useState<PanelId>('settings');
  const i18n = useI18n();
  const { t } = i18n;
  const chat = useChatConnection(pipeline, sessionType, handleUnauthorized, session);
  const [draft, setDraft] = useDraft(
    `botwire-draft:${pipeline.uuid}:${sessionType}:${session ?? 'default'}`,
  );
  const group = sessionType === 'group';
  // Images upload to the conversation open here, as the WebSocket joins it.
  const uploadImage = useCallback(
    async (file: File) => {
      try {
        return await backend.uploadImage(pipeline.uuid, file, {
          mediaType: supportedImageType(file.type) ?? file.type,
          sessionType,
          ...(session === undefined ? {} : { session }),
        });
      } catch (error) {
        handleUnauthorized(error);
        throw error;
      }
    },
    [pipeline.uuid, sessionType, session, handleUnauthorized],
  );
  const attachments = useImageAttachments(
    uploadImage,
    `${pipeline.uuid}:${sessionType}:${session ?? 'default'}`,
  );

  // Opening the chat means writing to the bot: the message box has the focus.
  useEffect(() => {
    document.getElementById('composer')?.focus();
  }, []);

  // No sender (older stored messages) in a person conversation can only be ours.
  const isOwn = useCallback(
    (message: ChatMessage) => message.sender == null || message.sender.id === principal.id,
    [principal.id],
  );

  const { send } = chat;
  const regenerate = useCallback(
    (reply: ChatMessage) => {
      const question = chat.state.messages.find((message) => message.id === reply.reply_to);
      if (question !== undefined) send(chainOf(question));
    },
    [chat.state.messages, send],
  );
  const { restore } = attachments;
  const edit = useCallback(
    (message: ChatMessage) => {
      const { text, images } = chainParts(message);
      setDraft(text);
      // Uploaded images go back as they are: they belong to this conversation already.
      restore(
        images.flatMap((image) =>
          image.image_id === undefined
            ? []
            : [{ imageId: image.image_id, name: describeImage(image, i18n) }],
        ),
      );
      document.getElementById('composer')?.focus();
    },
    [setDraft, restore, i18n],
  );

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center gap-x-4 gap-y-1">
        <h2 className="min-w-0 flex-1 truncate text-xl font-semibold">
          {t('chat.title', { name: pipeline.name })}
          {session !== undefined && (
            <span className="ml-2 text-base font-normal text-slate-600 dark:text-slate-300">
              {t('chat.sessionNamed', { session })}
            </span>
          )}
        </h2>
        <Link
          href={`/pipelines/${pipeline.uuid}/conversations`}
          className="inline-flex min-h-11 items-center rounded px-2 text-sm text-indigo-700 underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-indigo-600 sm:min-h-0 dark:text-indigo-300"
        >
          {t('chat.conversations')}
        </Link>
        <Link
          href="/pipelines"
          className="inline-flex min-h-11 items-center rounded px-2 text-sm text-indigo-700 underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-indigo-600 sm:min-h-0 dark:text-indigo-300"
        >
          {t('chat.allPipelines')}
        </Link>
      </div>
      <div className="grid gap-4 lg:grid-cols-[minmax(0,1fr)_28rem]">
        <section
          aria-label={t('chat.conversationRegion')}
          className="flex h-[calc(100dvh-9rem)] min-h-[26rem] flex-col overflow-hidden rounded-lg border border-slate-200 sm:h-[calc(100dvh-12rem)] dark:border-slate-800"
        >
          <div className="flex flex-wrap items-center gap-x-3 gap-y-1 border-b border-slate-200 px-3 py-2 dark:border-slate-800">
            <SessionSwitch value={sessionType} onChange={setSessionType} />
            <StatusIndicator
              status={chat.status}
              onReconnect={chat.reconnect}
              retrying={chat.nextRecoveryAt !== undefined}
            />
            <span className="ml-auto">
              <ResetButton sessionType={sessionType} onReset={chat.reset} />
            </span>
          </div>
          {chat.historyLoading && chat.state.messages.length === 0 ? (
            <p role="status" className="flex-1 p-4 text-sm text-slate-600 dark:text-slate-300">
              {t('chat.loadingHistory')}
            </p>
          ) : (
            <MessageList
              state={chat.state}
              typing={isTyping(chat.state)}
              botName={pipeline.name}
              isOwn={isOwn}
              online={chat.status.kind === 'connected'}
              onDiscard={chat.discard}
              historyError={chat.historyError}
              onRetryHistory={chat.reloadHistory}
              group={group}
              onRegenerate={regenerate}
              onEdit={edit}
              figuresOf={figuresOf}
            />
          )}
          {group && <GroupHint triggers={pipeline.group_triggers} botName={pipeline.name} />}
          <Composer
            status={chat.status}
            streaming={streamingReply(chat.state) !== undefined}
            onSend={chat.send}
            onStop={chat.stop}
            mentionTarget={group ? { target: pipeline.uuid, display: pipeline.name } : undefined}
            text={draft}
            onTextChange={setDraft}
            attachments={attachments}
          />
        </section>
        <aside
          aria-label={t('chat.tools')}
          className="flex min-h-[26rem] flex-col rounded-lg border border-slate-200 p-3 lg:h-[calc(100dvh-12rem)] dark:border-slate-800"
        >
          <Tabs<PanelId>
            label={t('chat.tools')}
            value={panel}
            onChange={setPanel}
            tabs={[
              {
                id: 'settings',
                label: t('chat.tabSettings'),
                panel: (
                  <ChatSettingsPanel
                    key={pipeline.uuid}
                    pipeline={pipeline}
                    onSaved={onPipelineChange}
                  />
                ),
              },
              {
                id: 'frames',
                label: t('chat.tabFrames'),
                panel: <FrameInspector log={chat.frames} />,
              },
              {
                id: 'connect',
                label: t('chat.tabConnect'),
                panel: (
                  <ConnectPanel
                    pipelineUuid={pipeline.uuid}
                    sessionType={sessionType}
                    session={session}
                  />
                ),
              },
            ]}
          />
        </aside>
      </div>
    </div>
  );
}
