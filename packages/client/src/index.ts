/**
 * @botwire/client: the Botwire SDK for browsers and Node 20+. {@link WebSocketClient} chats over
 * one reconnecting WebSocket per conversation; {@link BackendClient} calls the REST API. Both
 * speak the wire format of `@botwire/protocol` and use no Node modules.
 */

/** The chat connection; see {@link WebSocketClient}. */
export { WebSocketClient } from './websocket-client.js';

/** The handle on a reply: its deltas, its end, its cancel; see {@link WebSocketClient.send}. */
export { Reply, type ReplyResult } from './reply.js';

/** What the chat connection's listeners get. */
export type {
  BroadcastEvent,
  ClientEventMap,
  DisconnectEvent,
  HistoryEvent,
  HistorySource,
  ResyncEvent,
  SendMessageOptions,
  SessionResetEvent,
} from './client-events.js';

/** Options of the chat connection and their defaults. */
export {
  DEFAULT_CLIENT_OPTIONS,
  type WebSocketClientOptions,
  type WebSocketConstructor,
  type WebSocketLike,
} from './client-options.js';

/** The connection's states and why they change. */
export {
  STATE_REASONS,
  type ConnectionState,
  type StateChange,
  type StateReason,
} from './connection-state.js';

/** The typed REST client. */
export {
  BackendClient,
  type BackendClientOptions,
  type BroadcastResult,
  type CreatedApiKey,
  type FetchFunction,
  type HistoryOptions,
  type ResetOptions,
  type UploadImageOptions,
  type RunnerInfo,
} from './backend-client.js';

/** The SDK's one error type and its codes. */
export {
  BotwireClientError,
  CLIENT_ERROR_CODES,
  type BotwireClientErrorCode,
  type BotwireClientErrorOptions,
  type ClientErrorCode,
} from './client-error.js';

/** Building blocks, exported for apps that assemble their own connection handling. */
export { backoffDelay, type BackoffDelayOptions, type BackoffOptions } from './backoff.js';
/** A random `client_id`; works in insecure contexts (plain http on a LAN address) too. */
export { createClientId } from './client-id.js';
export { Outbox, type OutboxEntry } from './outbox.js';
export { ReplyAssembler, type StreamMode } from './reply-assembler.js';
export type { Unsubscribe } from './listener-set.js';

/** The protocol types an app handles through this SDK, re-exported for convenience. */
export type {
  ChatMessage,
  ConversationMessagesData,
  ConversationSummary,
  ConnectedFrame,
  HistoryData,
  ImageComponent,
  MessageChain,
  MessageComponent,
  MessageStatus,
  RunnerType,
  SessionType,
  UploadedImage,
  VisitorTokenData,
  WidgetLimits,
  WidgetSettings,
  UpdateWidgetSettingsBody,
} from '@botwire/protocol';

/** The widget settings' rules (origin format, limit bounds, defaults), for forms that edit them. */
export { DEFAULT_WIDGET_LIMITS, widgetLimitsSchema, widgetOriginSchema } from '@botwire/protocol';

/** How frames are checked (the `frameValidator` option): cheaply (default) or with full schemas. */
export {
  SCHEMA_FRAME_VALIDATOR,
  SHAPE_FRAME_VALIDATOR,
  type FrameValidator,
} from '@botwire/protocol';

/** The image types the server accepts for upload, and the path an uploaded image is served at. */
export { IMAGE_MEDIA_TYPES, imagePathOf } from '@botwire/protocol';

/** The runner types in the order the server lists them, and which of them call a model. */
export { RUNNER_TYPES, isModelRunnerType } from '@botwire/protocol';
