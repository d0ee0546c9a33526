import type { ConnectionState, DisconnectEvent, StateChange } from '@botwire/client';
import type { Translate } from '../../i18n/translate.js';

/** What the status indicator shows. */
export type ConnectionStatus =
  | { kind: 'connecting' }
  | { kind: 'connected' }
  | { kind: 'reconnecting'; attempt: number; maxAttempts: number }
  | { kind: 'disconnected'; reason: string | undefined };

/** Before the client reported anything. */
export const initialConnectionStatus: ConnectionStatus = { kind: 'connecting' };

/**
 * The SDK's default `maxReconnectAttempts`, which the console does not change: no cap on
 * attempts (the SDK retries for its reconnect window instead).
 */
export const DEFAULT_MAX_ATTEMPTS = Infinity;

/** Maps a state change of the SDK's `WebSocketClient` to the indicator's model. */
export function statusFromStateChange(
  change: StateChange,
  t: Translate,
  maxAttempts = DEFAULT_MAX_ATTEMPTS,
): ConnectionStatus {
  return statusFromState(change.current, change, t, maxAttempts);
}

function statusFromState(
  state: ConnectionState,
  change: StateChange,
  t: Translate,
  defaultMaxAttempts: number,
): ConnectionStatus {
  switch (state) {
    case 'idle':
    case 'connecting':
      return { kind: 'connecting' };
    case 'connected':
      return { kind: 'connected' };
    case 'reconnecting':
      return {
        kind: 'reconnecting',
        attempt: change.attempt ?? 1,
        maxAttempts: change.maxAttempts ?? defaultMaxAttempts,
      };
    case 'closed':
      return {
        kind: 'disconnected',
        reason: change.reason === 'disconnect-called' ? undefined : describeStop(change, t),
      };
  }
}

/** The indicator's colour and its text. */
export function describeStatus(
  status: ConnectionStatus,
  t: Translate,
): {
  tone: 'green' | 'amber' | 'red';
  label: string;
} {
  switch (status.kind) {
    case 'connecting':
      return { tone: 'amber', label: t('status.connecting') };
    case 'connected':
      return { tone: 'green', label: t('status.connected') };
    case 'reconnecting':
      return {
        tone: 'amber',
        label: Number.isFinite(status.maxAttempts)
          ? t('status.reconnectingOf', { attempt: status.attempt, max: status.maxAttempts })
          : t('status.reconnecting', { attempt: status.attempt }),
      };
    case 'disconnected':
      return { tone: 'red', label: t('status.disconnected') };
  }
}

/**
 * Why a connection ended, in words for the person at the keyboard rather than a close code.
 * Toasts and the disconnected hint use it, so "1006" never reaches the screen on its own.
 */
export function describeCloseCode(code: number | undefined, t: Translate): string {
  switch (code) {
    case undefined:
    case 1005:
    case 1006:
      return t('close.network');
    case 1000:
      return t('close.normal');
    case 1001:
      return t('close.restarting');
    case 1009:
      return t('close.tooLarge');
    case 1011:
      return t('close.internal');
    case 4000:
      return t('close.refused');
    case 4001:
      return t('close.sessionExpired');
    case 4003:
      return t('close.forbidden');
    case 4004:
      return t('close.pipelineGone');
    case 4008:
      return t('close.slowReader');
    case 4009:
      return t('close.heartbeat');
    case 4029:
      return t('close.tooManyConnections');
    default:
      return t('close.other', { code });
  }
}

/** Why the client stopped for good, from a change into `closed`. */
export function describeStop(change: StateChange, t: Translate): string {
  if (change.reason === 'retries-exhausted') {
    const attempts = change.attempt ?? change.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    return t('stop.retriesExhausted', {
      attempts,
      cause: describeCloseCode(change.closeCode, t),
    });
  }
  if (change.reason === 'final-close-code') {
    // The server's own message names the cause best (a rejected token, a deleted pipeline).
    return (
      change.error?.message ??
      t('stop.finalClose', { cause: capitalize(describeCloseCode(change.closeCode, t)) })
    );
  }
  return t('stop.disconnected');
}

/** The toast for a lost connection. */
export function describeDisconnect(event: DisconnectEvent, t: Translate): string {
  const cause = describeCloseCode(event.code, t);
  return event.willReconnect
    ? t('disconnect.reconnecting', { cause })
    : t('disconnect.final', { cause });
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
