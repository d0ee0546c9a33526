import { WebSocketClient, type SessionType } from '@botwire/client';
import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import { toast } from 'sonner';
import { backend, describeError } from '../../lib/backend.js';
import {
  chatReducer,
  initialChatState,
  initialConnectionStatus,
  statusFromStateChange,
  streamingReply,
  type ChatState,
  type ConnectionStatus,
} from './chat-state.js';

export interface ChatConnection {
  state: ChatState;
  status: ConnectionStatus;
  historyLoading: boolean;
  /** Sends a message; while reconnecting it waits in the SDK's outbox. */
  send: (text: string) => void;
  /** Cancels the reply that is streaming. */
  stop: () => void;
  /** Connects again after the client gave up. */
  reconnect: () => void;
}

/**
 * One debug-chat conversation: a `WebSocketClient` for the pipeline and session type, its
 * messages through {@link chatReducer}, the history loaded on open and after a resync, and
 * toasts for what happens to the connection. A new pipeline or session type means a new client.
 *
 * @param onUnauthorized called with errors that may mean the session expired; returns true when
 *   it handled them (the hook then shows nothing itself)
 */
export function useChatConnection(
  pipelineUuid: string,
  sessionType: SessionType,
  onUnauthorized: (error: unknown) => boolean,
): ChatConnection {
  const [state, dispatch] = useReducer(chatReducer, initialChatState);
  const [status, setStatus] = useState<ConnectionStatus>(initialConnectionStatus);
  const [historyLoading, setHistoryLoading] = useState(true);
  const clientRef = useRef<WebSocketClient | undefined>(undefined);
  const stateRef = useRef(state);
  stateRef.current = state;
  const unauthorizedRef = useRef(onUnauthorized);
  unauthorizedRef.current = onUnauthorized;

  useEffect(() => {
    let active = true;
    dispatch({ type: 'reset' });
    setStatus(initialConnectionStatus);
    const client = new WebSocketClient(pipelineUuid, sessionType);
    clientRef.current = client;

    const loadHistory = async (): Promise<void> => {
      setHistoryLoading(true);
      try {
        const history = await backend.getHistory(pipelineUuid, sessionType, { limit: 100 });
        if (active) dispatch({ type: 'history', messages: history.messages });
      } catch (error) {
        if (active && !unauthorizedRef.current(error)) {
          toast.error(`Could not load the history: ${describeError(error)}`);
        }
      } finally {
        if (active) setHistoryLoading(false);
      }
    };

    let everConnected = false;
    const unsubscribes = [
      client.onMessage((message) => dispatch({ type: 'message', message })),
      client.onStateChange((change) => {
        setStatus(statusFromStateChange(change));
        if (change.current === 'connected') {
          if (everConnected) toast.success('Reconnected', { id: `chat-${pipelineUuid}` });
          else toast.success('Connected', { id: `chat-${pipelineUuid}` });
          everConnected = true;
        } else if (change.reason === 'retries-exhausted') {
          toast.error(
            `Could not reconnect after ${change.attempt ?? change.maxAttempts ?? 5} attempts`,
            { id: `chat-${pipelineUuid}-gave-up` },
          );
        }
        if (change.current !== 'connected') dispatch({ type: 'stop-waiting' });
      }),
      client.onDisconnected((event) => {
        if (event.willReconnect) {
          toast.warning('Connection lost, reconnecting…', { id: `chat-${pipelineUuid}` });
        } else {
          toast.error('Disconnected', { id: `chat-${pipelineUuid}` });
        }
      }),
      client.onError((error) => {
        if (unauthorizedRef.current(error)) return;
        dispatch({ type: 'stop-waiting' });
        if (error.code === 'NOTHING_TO_CANCEL') toast.info('Nothing to stop');
        else toast.error(describeError(error));
      }),
      client.onBroadcast((event) => toast.info(`Broadcast: ${event.message}`)),
      client.onResync(() => void loadHistory()),
      client.onSessionReset(() => {
        dispatch({ type: 'reset' });
        toast.info('The conversation was reset');
      }),
    ];

    void loadHistory();
    client.connect().catch(() => {
      // Reported through onError and onStateChange already.
    });

    return () => {
      active = false;
      // Unsubscribe first: the deliberate disconnect should not toast.
      for (const unsubscribe of unsubscribes) unsubscribe();
      client.disconnect();
      if (clientRef.current === client) clientRef.current = undefined;
    };
  }, [pipelineUuid, sessionType]);

  const send = useCallback((text: string): void => {
    const client = clientRef.current;
    if (client === undefined) return;
    const clientId = crypto.randomUUID();
    dispatch({ type: 'sent', clientId, text });
    client.sendMessage(text, { clientId }).then(
      (message) => {
        dispatch({ type: 'message', message });
        if (client.sessionType === 'person') {
          dispatch({ type: 'awaiting-reply', messageId: message.id });
        }
      },
      (error: unknown) => {
        if (unauthorizedRef.current(error)) return;
        const description = describeError(error);
        dispatch({ type: 'send-failed', clientId, error: description });
        toast.error(`Not sent: ${description}`);
      },
    );
  }, []);

  const stop = useCallback((): void => {
    const client = clientRef.current;
    if (client === undefined) return;
    try {
      client.cancel(streamingReply(stateRef.current)?.id);
    } catch (error) {
      toast.error(`Could not stop: ${describeError(error)}`);
    }
    dispatch({ type: 'stop-waiting' });
  }, []);

  const reconnect = useCallback((): void => {
    clientRef.current?.connect().catch(() => {
      // Reported through onError and onStateChange already.
    });
  }, []);

  return { state, status, historyLoading, send, stop, reconnect };
}
