import {
  createClientId,
  BotwireClientError,
  WebSocketClient,
  type MessageChain,
  type SessionType,
} from '@botwire/client';
import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import { recoveryDelay, shouldRecover } from './chat-recovery.js';
import { FrameLog, tappedWebSocket } from './frames/frame-log.js';
import { chatToast } from './chat-toast.js';
import { backend, describeError, type Pipeline } from '../../lib/backend.js';
import { useI18n } from '../../i18n/i18n-context.js';
import type { MessageKey } from '../../i18n/catalogues.js';
import type { MessageParams } from '../../i18n/message.js';
import type { Translate } from '../../i18n/translate.js';
import { chatReducer, initialChatState, streamingReply, type ChatState } from './chat-state.js';
import {
  describeDisconnect,
  describeStop,
  initialConnectionStatus,
  statusFromStateChange,
  type ConnectionStatus,
} from './connection-status.js';
import { triggersReply } from './group-triggers.js';
import { chainText } from './mention.js';

/** What {@link useChatConnection} gives the dialog. */
export interface ChatConnection {
  state: ChatState;
  status: ConnectionStatus;
  historyLoading: boolean;
  /** Why the history could not be loaded, until it loads. */
  historyError: string | undefined;
  /** Sends a chain; without a connection it waits (pending) and goes out on reconnect. */
  send: (chain: MessageChain) => void;
  /** Cancels the reply that is streaming. */
  stop: () => void;
  /** Connects again after the client gave up. */
  reconnect: () => void;
  /** Loads the history again (after it failed). */
  reloadHistory: () => void;
  /** Resets the conversation on the server; resolves once done (errors are toasted). */
  reset: () => Promise<void>;
  /** Drops a message that could not be sent. */
  discard: (clientId: string) => void;
  /** Every frame in and out of this chat's sockets, for the frame inspector. */
  frames: FrameLog;
  /** When the console will next try to connect by itself (ms since epoch), while it waits. */
  nextRecoveryAt: number | undefined;
}

/** Codes with which the SDK hands back a message it never delivered: keep it for later. */
const UNDELIVERED = new Set(['CONNECTION_CLOSED', 'NOT_CONNECTED']);

/**
 * One debug-chat conversation: a `WebSocketClient` for the pipeline and session type, its
 * messages through {@link chatReducer}, the history loaded on open and after a resync, and
 * toasts for what happens to the connection. A new pipeline or session type means a new client.
 *
 * @param onUnauthorized called with errors that may mean the session expired; returns true when
 *   it handled them (the hook then shows nothing itself)
 */
export function useChatConnection(
  pipeline: Pipeline,
  sessionType: SessionType,
  onUnauthorized: (error: unknown) => boolean,
  /** A named conversation (`?session=`); the default one when undefined. */
  session?: string,
): ChatConnection {
  const pipelineUuid = pipeline.uuid;
  const [state, dispatch] = useReducer(chatReducer, initialChatState);
  const [status, setStatus] = useState<ConnectionStatus>(initialConnectionStatus);
  const [historyLoading, setHistoryLoading] = useState(true);
  const [historyError, setHistoryError] = useState<string | undefined>();
  const clientRef = useRef<WebSocketClient | undefined>(undefined);
  const loadHistoryRef = useRef<() => void>(() => undefined);
  const stateRef = useRef(state);
  stateRef.current = state;
  const unauthorizedRef = useRef(onUnauthorized);
  unauthorizedRef.current = onUnauthorized;
  const triggersRef = useRef(pipeline.group_triggers);
  triggersRef.current = pipeline.group_triggers;
  /** Set while our own reset runs, so its echo frame does not toast "reset elsewhere". */
  const resettingRef = useRef(false);
  // One log for the page's lifetime: switching person/group shows as a close and an open.
  const [frames] = useState(() => new FrameLog());
  const [nextRecoveryAt, setNextRecoveryAt] = useState<number | undefined>();
  // The socket's callbacks live as long as the connection; they word things in the language
  // chosen now, not the one of when it opened (switching language must not reconnect).
  const { t: currentTranslate } = useI18n();
  const translateRef = useRef(currentTranslate);
  translateRef.current = currentTranslate;
  const [t] = useState<Translate>(
    () => (key: MessageKey, params?: MessageParams) => translateRef.current(key, params),
  );

  useEffect(() => {
    let active = true;
    dispatch({ type: 'clear' });
    setStatus(initialConnectionStatus);
    const client = new WebSocketClient(pipelineUuid, sessionType, {
      WebSocket: tappedWebSocket(frames),
      ...(session === undefined ? {} : { session }),
    });
    clientRef.current = client;
    const toastId = `chat-${pipelineUuid}`;
    /** The code of a reply's error frame, seen before the SDK reports it: no toast for it. */
    let replyErrorCode: string | undefined;
    const stopTapping = frames.onFrame((entry) => {
      const frame = entry.parsed as
        { type?: unknown; code?: unknown; message?: unknown; reply_id?: unknown } | undefined;
      if (entry.direction !== 'in' || frame?.type !== 'error') return;
      if (typeof frame.reply_id !== 'number' || typeof frame.code !== 'string') return;
      replyErrorCode = frame.code;
      dispatch({
        type: 'reply-error',
        replyId: frame.reply_id,
        error: {
          code: frame.code,
          message: typeof frame.message === 'string' ? frame.message : '',
        },
      });
    });

    // While the page is open the chat comes back by itself after the SDK gives up.
    let recoveryRound = 0;
    let recoveryTimer: ReturnType<typeof setTimeout> | undefined;
    const cancelRecovery = (): void => {
      if (recoveryTimer !== undefined) clearTimeout(recoveryTimer);
      recoveryTimer = undefined;
      setNextRecoveryAt(undefined);
    };
    const recoverNow = (): void => {
      cancelRecovery();
      client.connect().catch(() => {
        // Reported through onError and onStateChange already.
      });
    };
    const scheduleRecovery = (): void => {
      const delay = recoveryDelay(recoveryRound);
      recoveryRound += 1;
      if (recoveryTimer !== undefined) clearTimeout(recoveryTimer);
      recoveryTimer = setTimeout(recoverNow, delay);
      setNextRecoveryAt(Date.now() + delay);
    };
    // Back online (laptop woke up, network returned): no reason to wait out the delay.
    const onOnline = (): void => {
      if (recoveryTimer !== undefined) recoverNow();
    };
    window.addEventListener('online', onOnline);

    const loadHistory = async (): Promise<void> => {
      setHistoryLoading(true);
      try {
        const history = await backend.getHistory(pipelineUuid, sessionType, {
          limit: 100,
          ...(session === undefined ? {} : { session }),
        });
        if (!active) return;
        dispatch({ type: 'history', messages: history.messages });
        setHistoryError(undefined);
      } catch (error) {
        if (!active || unauthorizedRef.current(error)) return;
        const description = describeError(error);
        setHistoryError(description);
        chatToast.error(t('toast.historyFailed', { error: description }));
      } finally {
        if (active) setHistoryLoading(false);
      }
    };
    loadHistoryRef.current = () => void loadHistory();

    let everConnected = false;
    const unsubscribes = [
      client.onMessage((message) => dispatch({ type: 'message', message })),
      client.onStateChange((change) => {
        setStatus(statusFromStateChange(change, t));
        if (change.current === 'connected') {
          recoveryRound = 0;
          cancelRecovery();
          // No toast on the first connection (opening the chat, switching person/group): the
          // status dot says it, and a toast would cover the header on a phone.
          if (everConnected) {
            chatToast.success(t('toast.reconnected'), {
              id: toastId,
              description: t('toast.caughtUp'),
              duration: 2_000,
            });
          }
          everConnected = true;
        } else if (shouldRecover(change)) {
          scheduleRecovery();
          chatToast.warning(t('toast.stillTrying', { reason: describeStop(change, t) }), {
            id: toastId,
          });
        } else if (change.current === 'closed' && change.reason !== 'disconnect-called') {
          // The one toast that says why the client stopped, and what to do.
          chatToast.error(describeStop(change, t), {
            id: toastId,
            description: t('toast.pressReconnect'),
            // In the toast too: it may cover the header's Reconnect button while it shows.
            action: {
              label: t('status.reconnect'),
              onClick: () => {
                client.connect().catch(() => {
                  // Reported through onError and onStateChange already.
                });
              },
            },
          });
        }
        if (change.current !== 'connected') dispatch({ type: 'stop-waiting' });
      }),
      client.onDisconnected((event) => {
        // A final close is toasted by the state change above, with the server's reason.
        if (event.willReconnect) chatToast.warning(describeDisconnect(event, t), { id: toastId });
      }),
      client.onError((error) => {
        if (unauthorizedRef.current(error)) return;
        dispatch({ type: 'stop-waiting' });
        // Connection-ending errors are explained by the state change's toast.
        if (error.code === 'CONNECTION_CLOSED' || error.closeCode !== undefined) return;
        // A failed reply shows its reason in its own bubble, with Retry, not in a toast.
        if (replyErrorCode === error.code) {
          replyErrorCode = undefined;
          return;
        }
        if (error.code === 'NOTHING_TO_CANCEL') chatToast.info(t('toast.nothingToStop'));
        else chatToast.error(describeError(error));
      }),
      client.onBroadcast((event) => {
        chatToast.info(t('toast.broadcast'), { description: event.message });
        dispatch({
          type: 'broadcast',
          id: createClientId(),
          text: event.message,
          timestamp: event.timestamp,
        });
      }),
      client.onResync(() => void loadHistory()),
      client.onSessionReset((event) => {
        dispatch({
          type: 'conversation-reset',
          id: `reset-${event.timestamp}`,
          text: t(resettingRef.current ? 'notice.ownReset' : 'notice.otherReset'),
          timestamp: event.timestamp,
        });
        if (!resettingRef.current) chatToast.info(t('toast.resetElsewhere'));
      }),
    ];

    void loadHistory();
    client.connect().catch(() => {
      // Reported through onError and onStateChange already.
    });

    return () => {
      active = false;
      cancelRecovery();
      window.removeEventListener('online', onOnline);
      stopTapping();
      // Unsubscribe first: the deliberate disconnect should not toast.
      for (const unsubscribe of unsubscribes) unsubscribe();
      client.disconnect();
      if (clientRef.current === client) clientRef.current = undefined;
    };
  }, [pipelineUuid, sessionType, session, frames, t]);

  /** Hands one message to the SDK, which keeps it in its outbox until the server stores it. */
  const transmit = useCallback(
    (client: WebSocketClient, clientId: string, chain: MessageChain) => {
      client.sendMessage(chain, { clientId }).then(
        (message) => {
          dispatch({ type: 'message', message });
          const expectsReply =
            client.sessionType === 'person' ||
            triggersReply(chain, triggersRef.current, client.pipelineId);
          if (expectsReply) dispatch({ type: 'awaiting-reply', messageId: message.id });
        },
        (error: unknown) => {
          if (clientRef.current !== client || unauthorizedRef.current(error)) return;
          if (error instanceof BotwireClientError && UNDELIVERED.has(error.code)) {
            // The client gave up before the server stored it; the same client_id goes out again
            // after Reconnect, so the server still stores it once.
            dispatch({ type: 'requeue', clientId });
            return;
          }
          const description = describeError(error);
          dispatch({ type: 'send-failed', clientId, error: description });
          chatToast.error(t('toast.notSent', { error: description }));
        },
      );
    },
    [t],
  );

  const send = useCallback(
    (chain: MessageChain): void => {
      const client = clientRef.current;
      if (client === undefined) return;
      const clientId = createClientId();
      // Idle or closed: the SDK refuses messages, so the console holds them until reconnected.
      const queued = client.state === 'closed' || client.state === 'idle';
      const timestamp = new Date().toISOString();
      dispatch({ type: 'sent', clientId, chain, text: chainText(chain), timestamp, queued });
      if (!queued) transmit(client, clientId, chain);
    },
    [transmit],
  );

  // Messages held while there was no connection go out as soon as there is one again.
  useEffect(() => {
    const client = clientRef.current;
    if (status.kind !== 'connected' || client === undefined) return;
    for (const entry of state.pending) {
      if (entry.delivery !== 'queued') continue;
      dispatch({ type: 'sending', clientId: entry.clientId });
      transmit(client, entry.clientId, entry.chain);
    }
  }, [status.kind, state.pending, transmit]);

  const stop = useCallback((): void => {
    const client = clientRef.current;
    if (client === undefined) return;
    try {
      client.cancel(streamingReply(stateRef.current)?.id);
    } catch (error) {
      chatToast.error(t('toast.stopFailed', { error: describeError(error) }));
    }
    dispatch({ type: 'stop-waiting' });
  }, [t]);

  const reconnect = useCallback((): void => {
    clientRef.current?.connect().catch(() => {
      // Reported through onError and onStateChange already.
    });
  }, []);

  const reset = useCallback(async (): Promise<void> => {
    resettingRef.current = true;
    try {
      await backend.resetConversation(
        pipelineUuid,
        sessionType,
        session === undefined ? {} : { session },
      );
      dispatch({
        type: 'conversation-reset',
        id: `reset-local-${Date.now()}`,
        text: t('notice.ownReset'),
        timestamp: new Date().toISOString(),
      });
      chatToast.success(t('toast.reset'));
    } catch (error) {
      if (!unauthorizedRef.current(error)) {
        chatToast.error(t('toast.resetFailed', { error: describeError(error) }));
      }
    } finally {
      // The server's session_reset frame arrives around the REST answer; give it a moment.
      setTimeout(() => {
        resettingRef.current = false;
      }, 2_000);
    }
  }, [pipelineUuid, sessionType, session, t]);

  const reloadHistory = useCallback(() => loadHistoryRef.current(), []);
  const discard = useCallback((clientId: string) => dispatch({ type: 'discard', clientId }), []);

  return {
    state,
    status,
    historyLoading,
    historyError,
    send,
    stop,
    reconnect,
    reloadHistory,
    reset,
    discard,
    frames,
    nextRecoveryAt,
  };
}
