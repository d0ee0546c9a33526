import type {
  ApiKey,
  ChatMessage,
  MessageChain,
  MessageStatus,
  Pipeline,
  PipelineBehaviour,
  ReplyFigures,
  Role,
  RunnerConfig,
  Sender,
  SessionType,
  User,
  WidgetSettings,
} from '@botwire/protocol';

/**
 * The persistence boundary. The server core talks only to these interfaces; the Kysely
 * implementation serves SQLite today and PostgreSQL with another dialect.
 */
export interface Store {
  readonly pipelines: PipelineRepository;
  readonly conversations: ConversationRepository;
  readonly messages: MessageRepository;
  readonly users: UserRepository;
  readonly sessions: SessionRepository;
  readonly apiKeys: ApiKeyRepository;
  /** What stored messages weigh, for storage quotas. */
  readonly usage: MessageUsageRepository;
  /** Uploaded images' metadata; their bytes are behind an `ImageStore`. */
  readonly images: ImageRepository;
  /** Pipelines' public widget settings. */
  readonly widgets: WidgetRepository;
  /** Secrets the server generates for itself (the visitor-token signing key). */
  readonly secrets: ServerSecretRepository;
  /** Whether the database answers (for /readyz). */
  ping(): Promise<boolean>;
  /**
   * Runs `work` while no other process on the database runs its own: first-start set-up (the
   * admin user, the default pipeline), so nodes starting together create each once.
   */
  withStartupLock<TResult>(work: () => Promise<TResult>): Promise<TResult>;
  close(): Promise<void>;
}

/** A pipeline as stored: the API's shape, but the runner keeps its secrets. */
export type StoredPipeline = Omit<Pipeline, 'runner'> & { runner: RunnerConfig };

export interface NewPipeline {
  name: string;
  description: string;
  runner: RunnerConfig;
  /** Defaults when absent. */
  behaviour?: PipelineBehaviour;
  isDefault?: boolean;
}

export interface PipelineChanges {
  name?: string;
  description?: string;
  runner?: RunnerConfig;
  /** The whole behaviour, already merged with the stored one. */
  behaviour?: PipelineBehaviour;
}

/** A pipeline's public widget settings; undefined until it was first made public. */
export interface WidgetRepository {
  get(pipelineUuid: string): Promise<WidgetSettings | undefined>;
  /** Inserts or replaces the settings of `settings.pipeline_uuid`. */
  save(settings: WidgetSettings): Promise<void>;
}

/** Named secrets the server generates once and keeps. */
export interface ServerSecretRepository {
  /** The secret named `name`, stored from `create()` the first time it is asked for. */
  getOrCreate(name: string, create: () => string): Promise<string>;
}

export interface PipelineRepository {
  list(): Promise<StoredPipeline[]>;
  get(uuid: string): Promise<StoredPipeline | undefined>;
  /** The pipeline marked default, if any. */
  getDefault(): Promise<StoredPipeline | undefined>;
  create(pipeline: NewPipeline): Promise<StoredPipeline>;
  /** Returns the updated pipeline, or undefined when none has this uuid. */
  update(uuid: string, changes: PipelineChanges): Promise<StoredPipeline | undefined>;
  /** Deletes the pipeline with its conversations and messages; false when none had this uuid. */
  delete(uuid: string): Promise<boolean>;
}

export interface ConversationIdentity {
  pipelineUuid: string;
  sessionType: SessionType;
  key: string;
}

export interface StoredConversation extends ConversationIdentity {
  id: number;
  seqReserved: number;
}

export interface ConversationRepository {
  /** The conversation, created on first use. */
  getOrCreate(identity: ConversationIdentity): Promise<StoredConversation>;
  find(identity: ConversationIdentity): Promise<StoredConversation | undefined>;
  /** Raises the reserved seq to `seqReserved` (never lowers it). */
  reserveSeq(conversationId: number, seqReserved: number): Promise<void>;
  /** Every conversation of a pipeline with its message count and newest message, newest first. */
  listSummaries(
    pipelineUuid: string,
    conversationId?: number,
  ): Promise<ConversationSummaryRecord[]>;
  /** One conversation by id, with its creation time. */
  findById(
    id: number,
  ): Promise<{ conversation: StoredConversation; createdAt: string } | undefined>;
}

/** A conversation as the console's list shows it. */
export interface ConversationSummaryRecord {
  conversation: StoredConversation;
  createdAt: string;
  messageCount: number;
  lastMessage: ChatMessage | undefined;
}

export interface NewUserMessage {
  conversationId: number;
  chain: MessageChain;
  content: string;
  sender: Sender;
  connectionId: string | null;
  clientId: string | null;
}

export interface FinishedReply {
  id: number;
  content: string;
  chain: MessageChain;
  status: Exclude<MessageStatus, 'streaming'>;
  /** Whether {@link MessageRepository.appendReplyProgress} saved anything for it; true if unsure. */
  hadProgress?: boolean;
  /** The reply's figures (timings, size, provider usage), stored in the same update. */
  figures?: ReplyFigures;
}

export interface HistoryPage {
  /** Oldest first. */
  messages: ChatMessage[];
  hasMore: boolean;
  /**
   * Set when the newest message the page would start with is larger than `maxBytes` by itself:
   * the page is then empty, and older messages are read with `before` set to its id.
   */
  oversized?: { id: number; bytes: number };
}

export interface MessageRepository {
  /**
   * Stores a user message; resolves once it is committed (the caller acknowledges it only then).
   * Rejects, storing nothing, when the conversation already has a message with this `clientId`:
   * look that one up with {@link findByClientId}.
   */
  insertUserMessage(message: NewUserMessage): Promise<ChatMessage>;
  /**
   * {@link insertUserMessage} and {@link insertReply} for it, committed together (one batch), for
   * a message whose reply starts at once: its first chunk can then leave with its
   * acknowledgement. `reply` is undefined when only the reply row could not be stored (the
   * caller inserts it later); rejects like insertUserMessage.
   */
  insertUserMessageWithReply(
    message: NewUserMessage,
  ): Promise<{ message: ChatMessage; reply: ChatMessage | undefined }>;
  /** The user message sent earlier with this idempotency key, if any. */
  findByClientId(conversationId: number, clientId: string): Promise<ChatMessage | undefined>;
  /** Creates the row of a reply about to stream (status `streaming`, empty content). */
  insertReply(options: { conversationId: number; replyTo: number }): Promise<ChatMessage>;
  /**
   * Saves what a reply still `streaming` streamed since the last save: `text` starts at character
   * `start` of the reply. Only the new text is written (never the whole reply again), so saving a
   * long reply costs what is new. The saved pieces are part of the reply's content in history
   * and after a crash; {@link finishReply} replaces them with the final text.
   */
  appendReplyProgress(id: number, start: number, text: string): Promise<void>;
  /**
   * Stores a reply's final text, status and figures in one write of the group commit; resolves
   * once committed.
   */
  finishReply(reply: FinishedReply): Promise<void>;
  /**
   * A page of history, newest `limit` messages before `before` (an id), returned oldest first;
   * with `maxBytes`, only as many of them as fit in that many bytes (content plus stored chain,
   * in UTF-8), measured in the database before any text is read.
   */
  listHistory(options: {
    conversationId: number;
    before?: number;
    limit: number;
    maxBytes?: number;
  }): Promise<HistoryPage>;
  /** How many messages (user messages and replies) a conversation holds. */
  countInConversation(conversationId: number): Promise<number>;
  /** Deletes every message of the conversation; returns how many. */
  deleteConversationMessages(conversationId: number): Promise<number>;
  /** Marks replies left `streaming` (by a crash or restart) as `interrupted`; returns how many. */
  markStreamingAsInterrupted(): Promise<number>;
  /**
   * Marks the replies of one conversation left `streaming` (their generating node died) as
   * `interrupted`, keeping the text saved so far; returns them as they are now stored.
   */
  interruptStreamingReplies(conversationId: number): Promise<ChatMessage[]>;
}

export interface StoredUser extends User {
  passwordHash: string;
}

export interface UserRepository {
  count(): Promise<number>;
  create(user: { username: string; passwordHash: string; role: Role }): Promise<User>;
  findByUsername(username: string): Promise<StoredUser | undefined>;
  findById(id: number): Promise<StoredUser | undefined>;
  list(): Promise<User[]>;
  updatePassword(id: number, passwordHash: string): Promise<void>;
  updateRole(id: number, role: Role): Promise<void>;
  delete(id: number): Promise<boolean>;
}

export interface SessionRepository {
  create(session: { tokenHash: string; userId: number; expiresAt: string }): Promise<void>;
  /** The user of an unexpired session. */
  findUser(tokenHash: string, now: string): Promise<StoredUser | undefined>;
  delete(tokenHash: string): Promise<void>;
  deleteForUser(userId: number): Promise<void>;
  deleteExpired(now: string): Promise<number>;
}

export interface NewApiKey {
  name: string;
  prefix: string;
  keyHash: string;
  role: Role;
  pipelines: string[] | null;
  createdBy: string;
  /** ISO-8601 UTC; null when the key never expires. */
  expiresAt: string | null;
}

/**
 * An API key as stored. Whether it has expired depends on the clock of whoever asks, so the
 * protocol's `expired` is added by the auth service, not by the store.
 */
export type StoredApiKey = Omit<ApiKey, 'expired'>;

export interface ApiKeyRepository {
  create(key: NewApiKey): Promise<StoredApiKey>;
  list(): Promise<StoredApiKey[]>;
  /** An unrevoked key with this hash, expired or not (the caller tells expired keys apart). */
  findActiveByHash(keyHash: string): Promise<StoredApiKey | undefined>;
  /** false when no unrevoked key has this id. */
  revoke(id: number): Promise<boolean>;
  /** Removes a revoked key from the list; `active` when it is not revoked (it stays). */
  deleteRevoked(id: number): Promise<'deleted' | 'active' | 'missing'>;
  touchLastUsed(id: number, at: string): Promise<void>;
}

/** An uploaded image's metadata: which conversation it belongs to, who uploaded it, what it is. */
export interface ImageRecord {
  id: string;
  conversationId: number;
  pipelineUuid: string;
  /** The principal id of the uploader (counted toward its quota). */
  uploaderId: string;
  /** The sniffed type, one of the protocol's IMAGE_MEDIA_TYPES. */
  mediaType: string;
  bytes: number;
  createdAt: string;
  /** When a message first carried it; undefined while it was only uploaded. */
  attachedAt?: string;
}

export interface ImageRepository {
  insert(image: ImageRecord): Promise<void>;
  find(id: string): Promise<ImageRecord | undefined>;
  delete(id: string): Promise<void>;
  /** Records that a message carries the image, the first time only. */
  markAttached(id: string, at: string): Promise<void>;
  /** Up to `limit` images no message ever carried, uploaded before `before`, oldest first. */
  listUnattached(options: { before: string; limit: number }): Promise<ImageRecord[]>;
  /** The ids of the images uploaded to a conversation (to delete their bytes with it). */
  listIdsOfConversation(conversationId: number): Promise<string[]>;
}

/**
 * Bytes of stored user messages: the UTF-8 bytes of `content` plus those of `message_chain` (the
 * chain as stored JSON), plus the bytes of the images uploaded. Read once per principal or
 * pipeline when its quota is first checked.
 */
export interface MessageUsageRepository {
  /** Bytes of the user messages `senderId` sent that are still stored. */
  userMessageBytesOfSender(senderId: string): Promise<number>;
  /** Bytes of the user messages stored in the conversations of `pipelineUuid`. */
  userMessageBytesOfPipeline(pipelineUuid: string): Promise<number>;
}
