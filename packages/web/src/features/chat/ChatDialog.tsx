import type { ChatMessage, SessionType } from '@botwire/client';
import { useCallback, useState } from 'react';
import * as Dialog from '@radix-ui/react-dialog';
import type { Pipeline } from '../../lib/backend.js';
import { useAuth } from '../auth/auth-context.js';
import { isTyping, streamingReply } from './chat-state.js';
import { Composer } from './Composer.js';
import { GroupHint } from './GroupHint.js';
import { MessageList } from './MessageList.js';
import { ResetButton } from './ResetButton.js';
import { SessionSwitch } from './SessionSwitch.js';
import { StatusIndicator } from './StatusIndicator.js';
import { useChatConnection } from './useChatConnection.js';

/**
 * The debug chat of one pipeline, as a Radix modal dialog (focus kept inside and returned on
 * close, Escape closes unless a popup inside handles it first, the page behind is inert and
 * does not scroll). It renders in the page rather than the browser's top layer, so the reset
 * confirmation, the mention picker and the toasts can sit above it. Full-screen on phones, a
 * centred panel from the `sm` breakpoint. Header: title and close, then the person/group switch, the connection
 * status and Reset, wrapping onto a second line on narrow screens.
 */
export function ChatDialog({ pipeline, onClose }: { pipeline: Pipeline; onClose: () => void }) {
  const { principal, handleUnauthorized } = useAuth();
  const [sessionType, setSessionType] = useState<SessionType>('person');
  const chat = useChatConnection(pipeline, sessionType, handleUnauthorized);
  const group = sessionType === 'group';

  // No sender (older stored messages) in a person conversation can only be ours.
  const isOwn = useCallback(
    (message: ChatMessage) => message.sender == null || message.sender.id === principal.id,
    [principal.id],
  );

  return (
    <Dialog.Root open onOpenChange={(open) => !open && onClose()}>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-black/40" />
        <Dialog.Content
          aria-describedby={undefined}
          onOpenAutoFocus={(event) => {
            event.preventDefault();
            document.getElementById('composer')?.focus();
          }}
          className="fixed top-1/2 left-1/2 z-40 flex h-dvh w-screen -translate-x-1/2 -translate-y-1/2 flex-col overflow-hidden bg-white text-slate-900 shadow-xl sm:h-[85vh] sm:max-h-[56rem] sm:w-[min(48rem,95vw)] sm:rounded-lg sm:border sm:border-slate-200 dark:bg-slate-900 dark:text-slate-100 sm:dark:border-slate-800"
        >
          <header className="flex flex-wrap items-center gap-x-3 gap-y-2 border-b border-slate-200 px-3 py-2 sm:px-4 sm:py-3 dark:border-slate-800">
            <Dialog.Title className="order-1 min-w-0 flex-1 truncate font-semibold">
              Debug chat: {pipeline.name}
            </Dialog.Title>
            <div className="order-3 flex basis-full flex-wrap items-center gap-x-3 gap-y-2 sm:order-2 sm:basis-auto">
              <SessionSwitch value={sessionType} onChange={setSessionType} />
              <StatusIndicator status={chat.status} onReconnect={chat.reconnect} />
              <span className="ml-auto sm:ml-0">
                <ResetButton sessionType={sessionType} onReset={chat.reset} />
              </span>
            </div>
            <Dialog.Close
              aria-label="Close debug chat"
              className="order-2 -mr-1 rounded px-2 py-1 text-lg leading-none hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-600 sm:order-3 dark:hover:bg-slate-800"
            >
              ×
            </Dialog.Close>
          </header>
          {chat.historyLoading && chat.state.messages.length === 0 ? (
            <p role="status" className="flex-1 p-4 text-sm text-slate-500">
              Loading history…
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
            />
          )}
          {group && <GroupHint triggers={pipeline.group_triggers} botName={pipeline.name} />}
          <Composer
            status={chat.status}
            streaming={streamingReply(chat.state) !== undefined}
            onSend={chat.send}
            onStop={chat.stop}
            mentionTarget={group ? { target: pipeline.uuid, display: pipeline.name } : undefined}
          />
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
