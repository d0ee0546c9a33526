import type { ConnectionState, DisconnectEvent, StateChange } from '@botwire/client';

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
  maxAttempts = DEFAULT_MAX_ATTEMPTS,
): ConnectionStatus {
  return statusFromState(change.current, change, maxAttempts);
}

function statusFromState(
  state: ConnectionState,
  change: StateChange,
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
        reason: change.reason === 'disconnect-called' ? undefined : describeStop(change),
      };
  }
}

/** The indicator's colour and its text. */
export function describeStatus(status: ConnectionStatus): {
  tone: 'green' | 'amber' | 'red';
  label: string;
} {
  switch (status.kind) {
    case 'connecting':
      return { tone: 'amber', label: 'connecting' };
    case 'connected':
      return { tone: 'green', label: 'connected' };
    case 'reconnecting':
      return {
        tone: 'amber',
        label: Number.isFinite(status.maxAttempts)
          ? `reconnecting (attempt ${status.attempt} of ${status.maxAttempts})`
          : `reconnecting (attempt ${status.attempt})`,
      };
    case 'disconnected':
      return { tone: 'red', label: 'disconnected' };
  }
}

/**
 * Why a connection ended, in words for the person at the keyboard rather than a close code.
 * Toasts and the disconnected hint use it, so "1006" never reaches the screen on its own.
 */
export function describeCloseCode(code: number | undefined): string {
  switch (code) {
    case undefined:
    case 1005:
    case 1006:
      return 'the network connection dropped or the server could not be reached';
    case 1000:
      return 'the connection was closed';
    case 1001:
      return 'the server is restarting';
    case 1009:
      return 'a message was too large for the server';
    case 1011:
      return 'the server hit an internal error';
    case 4000:
      return 'the server refused the connection request';
    case 4001:
      return 'your session has expired; sign in again';
    case 4003:
      return 'you may not use this pipeline from this page';
    case 4004:
      return 'the pipeline no longer exists';
    case 4008:
      return 'the browser fell behind reading replies';
    case 4009:
      return 'the server stopped hearing from this browser';
    case 4029:
      return 'too many connections are open; close some tabs';
    default:
      return `the connection closed (code ${code})`;
  }
}

/** Why the client stopped for good, from a change into `closed`. */
export function describeStop(change: StateChange): string {
  if (change.reason === 'retries-exhausted') {
    const attempts = change.attempt ?? change.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    return `Could not reconnect after ${attempts} attempts: ${describeCloseCode(change.closeCode)}.`;
  }
  if (change.reason === 'final-close-code') {
    // The server's own message names the cause best (a rejected token, a deleted pipeline).
    return change.error?.message ?? `${capitalize(describeCloseCode(change.closeCode))}.`;
  }
  return 'Disconnected.';
}

/** The toast for a lost connection. */
export function describeDisconnect(event: DisconnectEvent): string {
  const cause = describeCloseCode(event.code);
  return event.willReconnect
    ? `Connection lost: ${cause}. Reconnecting…`
    : `Disconnected: ${cause}.`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
