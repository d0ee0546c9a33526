import type { ChatMessage, ConnectedFrame } from '@botwire/protocol';
import type { BotwireClientError } from './client-error.js';
import type {
  BroadcastEvent,
  DisconnectEvent,
  ResyncEvent,
  SessionResetEvent,
} from './client-events.js';
import type { StateChange } from './connection-state.js';
import { ListenerSet } from './listener-set.js';

/**
 * The listeners of every event a `WebSocketClient` reports, one {@link ListenerSet} per event.
 * The client's parts (its transport, its frame handling) share one bundle and emit into it.
 */
export interface ClientListeners {
  readonly message: ListenerSet<ChatMessage>;
  readonly broadcast: ListenerSet<BroadcastEvent>;
  readonly connected: ListenerSet<ConnectedFrame>;
  readonly disconnected: ListenerSet<DisconnectEvent>;
  readonly error: ListenerSet<BotwireClientError>;
  readonly stateChange: ListenerSet<StateChange>;
  readonly sessionReset: ListenerSet<SessionResetEvent>;
  readonly resync: ListenerSet<ResyncEvent>;
}

/** An empty bundle of listeners. */
export function createClientListeners(): ClientListeners {
  return {
    message: new ListenerSet(),
    broadcast: new ListenerSet(),
    connected: new ListenerSet(),
    disconnected: new ListenerSet(),
    error: new ListenerSet(),
    stateChange: new ListenerSet(),
    sessionReset: new ListenerSet(),
    resync: new ListenerSet(),
  };
}
