import type { Config } from './config.js';

/** What one unauthenticated socket may make the server read past its limit: one socket read plus
 * the slack read while its refusal's close handshake runs (see `PreAuthLimit`). */
const PRE_AUTH_READ_SLACK_BYTES = 2 * 65_536;

/** The worst case of what clients can make the server hold, in bytes, for a config. */
export interface MemoryBounds {
  /** One socket that has not authenticated yet. */
  pendingSocket: number;
  /** Every unauthenticated socket together. */
  pendingTotal: number;
  /** One authenticated connection: a frame being received plus a full send buffer. */
  connection: number;
  /** Every connection of one principal. */
  principal: number;
  /** Replay events of one conversation. */
  replayPerConversation: number;
  /** Replay events of every conversation together. */
  replayTotal: number;
  /** Message bytes one principal can have stored per day at its sustained rate. */
  principalStoredPerDay: number;
}

/**
 * The bounds documented in docs/configuration.md ("Worst case per connection and per
 * principal"); a test checks the document against these figures for the defaults, and an
 * end-to-end test drives worst-case clients against them.
 */
export function memoryBounds(config: Config): MemoryBounds {
  const { websocket, limits } = config;
  const pendingSocket = websocket.maxPreAuthBytes + PRE_AUTH_READ_SLACK_BYTES;
  // ws assembles a frame of up to 4 x maxFrameBytes before it is measured; besides it, a ready
  // connection's send buffer is closed once it passes maxSendBufferBytes (plus one tick's frames,
  // counted in the frame term), and a connection being set up keeps at most 4 x maxFrameBytes of
  // early frames (it sends nothing yet).
  const connection =
    4 * websocket.maxFrameBytes +
    Math.max(websocket.maxSendBufferBytes, 4 * websocket.maxFrameBytes);
  return {
    pendingSocket,
    pendingTotal: websocket.maxPendingConnections * pendingSocket,
    connection,
    principal: websocket.maxConnectionsPerPrincipal * connection,
    replayPerConversation: websocket.replayBudgetBytes,
    replayTotal: Math.min(
      websocket.replayTotalBytes,
      limits.maxLiveConversations * websocket.replayBudgetBytes,
    ),
    principalStoredPerDay: Math.min(
      limits.principalQuotaBytes,
      limits.principalBytesPerSecond * 86_400,
    ),
  };
}
