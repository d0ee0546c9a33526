import type { ClientEventMap } from './client-events.js';
import { ListenerSet } from './listener-set.js';

/**
 * The listeners of every event a `WebSocketClient` reports, one {@link ListenerSet} per event.
 * The client's parts (its transport, its frame handling) share one bundle and emit into it.
 */
export type ClientListeners = {
  readonly [TEvent in keyof ClientEventMap]: ListenerSet<ClientEventMap[TEvent]>;
};

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
    history: new ListenerSet(),
  };
}
