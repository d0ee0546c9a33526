import type { Generated } from 'kysely';

/**
 * Tables as Kysely sees them. Times are ISO-8601 text, JSON columns are text; the same schema
 * runs on SQLite and PostgreSQL.
 */
export interface DatabaseSchema {
  pipelines: PipelinesTable;
  conversations: ConversationsTable;
  messages: MessagesTable;
  users: UsersTable;
  sessions: SessionsTable;
  api_keys: ApiKeysTable;
  reply_progress: ReplyProgressTable;
  images: ImagesTable;
  image_data: ImageDataTable;
  pipeline_widgets: PipelineWidgetsTable;
  server_secrets: ServerSecretsTable;
}

/** A pipeline's public widget settings; no row means never made public. */
export interface PipelineWidgetsTable {
  pipeline_uuid: string;
  public: number;
  widget_key: string;
  /** JSON array of origins. */
  allowed_origins: string;
  /** JSON of the protocol's WidgetLimits. */
  limits: string;
  updated_at: string;
}

/** Secrets the server generates for itself, by name (e.g. the visitor-token signing key). */
export interface ServerSecretsTable {
  name: string;
  value: string;
  created_at: string;
}

export interface PipelinesTable {
  uuid: string;
  name: string;
  description: string;
  /** JSON of the protocol's RunnerConfig. */
  runner: string;
  /** JSON of the protocol's PipelineBehaviour. */
  behaviour: Generated<string>;
  is_default: number;
  created_at: string;
  updated_at: string;
}

export interface ConversationsTable {
  id: Generated<number>;
  pipeline_uuid: string;
  session_type: string;
  /** The conversation key (principal or group session). */
  conversation_key: string;
  /** Highest event seq reserved; a restart continues above it. */
  seq_reserved: number;
  created_at: string;
}

export interface MessagesTable {
  id: Generated<number>;
  conversation_id: number;
  role: string;
  content: string;
  /** JSON array of message components. */
  message_chain: string;
  status: string;
  reply_to: number | null;
  sender_id: string | null;
  sender_name: string | null;
  connection_id: string | null;
  client_id: string | null;
  created_at: string;
  updated_at: string;
  /** Reply figures (see the protocol's `ReplyFigures`); null until the reply finishes. */
  first_chunk_ms: number | null;
  duration_ms: number | null;
  chunk_count: number | null;
  character_count: number | null;
  input_tokens: number | null;
  output_tokens: number | null;
  finish_reason: string | null;
}

export interface UsersTable {
  id: Generated<number>;
  username: string;
  password_hash: string;
  role: string;
  created_at: string;
}

export interface SessionsTable {
  token_hash: string;
  user_id: number;
  created_at: string;
  expires_at: string;
}

export interface ApiKeysTable {
  id: Generated<number>;
  name: string;
  prefix: string;
  key_hash: string;
  role: string;
  /** JSON array of pipeline uuids, or null for all. */
  pipelines: string | null;
  created_by: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
  /** Null when the key never expires. */
  expires_at: string | null;
}

/**
 * The text of a streaming reply saved so far, as pieces appended one per save (so saving costs
 * what is new, not the whole reply again); folded into `messages.content` when the reply finishes.
 */
export interface ReplyProgressTable {
  message_id: number;
  /** Where the piece starts in the reply's text (characters). */
  start: number;
  text: string;
}

/** One uploaded image; its bytes are in `image_data` (PostgreSQL) or a file (SQLite). */
export interface ImagesTable {
  id: string;
  conversation_id: number;
  pipeline_uuid: string;
  uploader_id: string;
  media_type: string;
  byte_size: number;
  created_at: string;
  /** When a stored message first carried it; null while unsent (swept after a while). */
  attached_at: string | null;
}

/** The bytes of an uploaded image, on PostgreSQL only. */
export interface ImageDataTable {
  image_id: string;
  data: Uint8Array;
}
