import {
  apiKeySchema,
  broadcastDataSchema,
  connectionsDataSchema,
  createdApiKeyDataSchema,
  describeIssues,
  errorEnvelopeSchema,
  historyDataSchema,
  loginDataSchema,
  modelCheckDataSchema,
  parseJson,
  pipelineEnvelopeDataSchema,
  pipelineListSchema,
  principalSchema,
  sniffImageType,
  successEnvelopeSchema,
  uploadedImageSchema,
  userSchema,
  widgetSettingsDataSchema,
  type ApiKey,
  type ConnectionsData,
  type CreateApiKeyBody,
  type CreatePipelineBody,
  type CreateUserBody,
  type HistoryData,
  type LoginData,
  type MessageChain,
  type ModelCheckData,
  type Pipeline,
  type PrincipalData,
  type SessionType,
  type UpdatePipelineBody,
  type UploadedImage,
  type User,
  type UpdateWidgetSettingsBody,
  type WidgetSettings,
} from '@botwire/protocol';
import {
  conversationListDataSchema,
  conversationMessagesDataSchema,
  disconnectDataSchema,
  type Role,
  type ConversationMessagesData,
  type ConversationSummary,
} from '@botwire/protocol';
import { z } from 'zod';
import { joinUrl, resolveBaseUrl } from './base-url.js';
import { BotwireClientError } from './client-error.js';

/** The `fetch` the client calls; the global one by default. */
export type FetchFunction = (url: string, init: RequestInit) => Promise<Response>;

/** Options of {@link BackendClient}. */
export interface BackendClientOptions {
  /**
   * The server's http(s) base URL; a path prefix is kept.
   * @default the page's `location.origin` in a browser; required elsewhere
   */
  baseUrl?: string;
  /**
   * An API key or session token, sent as `Authorization: Bearer`. Without one, a browser
   * sends the session cookie (requests use `credentials: 'include'`).
   * @default undefined
   */
  token?: string;
  /**
   * The fetch implementation, e.g. one with a proxy agent or a test double.
   * @default globalThis.fetch
   */
  fetch?: FetchFunction;
}

/** Query of {@link BackendClient.getHistory}. */
export interface HistoryOptions {
  /** The named conversation; the server's `default` when absent. */
  session?: string;
  /** A message id: return only messages older than it (paging back). */
  before?: number;
  /** How many messages, 1-500. @default 50 (the server's) */
  limit?: number;
}

/** Query of {@link BackendClient.resetConversation}. */
export interface ResetOptions {
  /** The named conversation; the server's `default` when absent. */
  session?: string;
}

/** A runner type the server offers. */
export interface RunnerInfo {
  type: string;
  description: string;
}

/** The answer of {@link BackendClient.createApiKey}: the key's record and its secret, shown once. */
export type CreatedApiKey = z.infer<typeof createdApiKeyDataSchema>;

/** The answer of {@link BackendClient.broadcast}. */
export type BroadcastResult = z.infer<typeof broadcastDataSchema>;

const messageDataSchema = z.object({ message: z.string() });
const principalDataSchema = z.object({ principal: principalSchema });
const runnersDataSchema = z.object({
  runners: z.array(z.object({ type: z.string(), description: z.string() })),
});
const apiKeysDataSchema = z.object({ api_keys: z.array(apiKeySchema) });
const usersDataSchema = z.object({ users: z.array(userSchema) });
const userDataSchema = z.object({ user: userSchema });

interface RequestOptions {
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  /** A body sent as it is, with its own Content-Type (an image upload). */
  rawBody?: Blob;
}

/** Options of {@link BackendClient.uploadImage}. */
export interface UploadImageOptions {
  /**
   * The image type (`image/png`, `image/jpeg`, `image/gif`, `image/webp`); when absent, a Blob's
   * own type, else read from the image's first bytes. The server checks it against the content.
   */
  mediaType?: string;
  /** The conversation the image is for: the same as the WebSocket's; `person` when absent. */
  sessionType?: SessionType;
  /** The named conversation; the server's `default` when absent. */
  session?: string;
}

/**
 * The type an upload declares: a Blob's own, else the one its first bytes show (bytes read from
 * a file carry none), else none, and the server says what it accepts.
 */
async function declaredImageType(image: Blob | Uint8Array | ArrayBuffer): Promise<string> {
  if (image instanceof Blob && image.type !== '') return image.type;
  const head =
    image instanceof Blob
      ? new Uint8Array(await image.slice(0, 16).arrayBuffer())
      : image instanceof Uint8Array
        ? image.subarray(0, 16)
        : new Uint8Array(image, 0, Math.min(16, image.byteLength));
  return sniffImageType(head) ?? '';
}

/**
 * Typed calls to Botwire's REST API. Every answer is checked against the protocol's schemas;
 * every failure throws a {@link BotwireClientError} whose `code` is the server's catalogue code
 * (`PIPELINE_NOT_FOUND`, `AUTH_FAILED`, `FORBIDDEN`...) with the HTTP `status`, or
 * `NETWORK_ERROR` when no answer came, or `BAD_RESPONSE` when the answer was not Botwire's.
 *
 * @example
 * ```ts
 * const backend = new BackendClient({ baseUrl: 'http://127.0.0.1:8000', token: 'bw_key_...' });
 * const pipelines = await backend.listPipelines();
 * const { messages, last_seq } = await backend.getHistory(pipelines[0].uuid, 'person', {
 *   limit: 100,
 * });
 * ```
 */
export class BackendClient {
  private readonly baseUrl: URL;
  private readonly fetchFunction: FetchFunction;
  private currentToken: string | undefined;

  constructor(options: BackendClientOptions = {}) {
    this.baseUrl = resolveBaseUrl(options.baseUrl);
    this.currentToken = options.token;
    // Looked up per call, and called as a plain function: browsers reject a fetch called on
    // another `this` ("Illegal invocation").
    this.fetchFunction = options.fetch ?? ((url, init) => globalThis.fetch(url, init));
  }

  /** The token sent as `Authorization: Bearer`, if any. */
  get token(): string | undefined {
    return this.currentToken;
  }

  /** Replaces the token (undefined: send none, rely on the browser cookie). */
  setToken(token: string | undefined): void {
    this.currentToken = token;
  }

  // ---- Sign-in -----------------------------------------------------------------------------

  /**
   * Signs in. The server sets the session cookie (for browsers), and the returned token becomes
   * this client's token (for everything else).
   */
  async login(username: string, password: string): Promise<LoginData> {
    const login = await this.request('POST', '/api/v1/auth/login', loginDataSchema, {
      body: { username, password },
    });
    this.currentToken = login.token;
    return login;
  }

  /** Ends the session (token and cookie) and forgets the token. */
  async logout(): Promise<void> {
    await this.request('POST', '/api/v1/auth/logout', messageDataSchema);
    this.currentToken = undefined;
  }

  /** The principal behind the credentials; `pipelines: null` means all pipelines. */
  async me(): Promise<PrincipalData> {
    return (await this.request('GET', '/api/v1/auth/me', principalDataSchema)).principal;
  }

  /** Changes the signed-in user's password; other sessions of the user end. */
  async changePassword(currentPassword: string, newPassword: string): Promise<void> {
    await this.request('PUT', '/api/v1/auth/password', messageDataSchema, {
      body: { current_password: currentPassword, new_password: newPassword },
    });
  }

  // ---- Pipelines ---------------------------------------------------------------------------

  /** The pipelines these credentials may use. */
  async listPipelines(): Promise<Pipeline[]> {
    return (await this.request('GET', '/api/v1/pipelines', pipelineListSchema)).pipelines;
  }

  async getPipeline(uuid: string): Promise<Pipeline> {
    return (await this.request('GET', pipelinePath(uuid), pipelineEnvelopeDataSchema)).pipeline;
  }

  /** Creates a pipeline (admin). */
  async createPipeline(body: CreatePipelineBody): Promise<Pipeline> {
    return (await this.request('POST', '/api/v1/pipelines', pipelineEnvelopeDataSchema, { body }))
      .pipeline;
  }

  /** Changes the fields given (admin); applies to the next reply. */
  async updatePipeline(uuid: string, body: UpdatePipelineBody): Promise<Pipeline> {
    return (await this.request('PATCH', pipelinePath(uuid), pipelineEnvelopeDataSchema, { body }))
      .pipeline;
  }

  /** Deletes a pipeline with its history (admin); its live connections close with 4004. */
  async deletePipeline(uuid: string): Promise<void> {
    await this.request('DELETE', pipelinePath(uuid), messageDataSchema);
  }

  /** Asks the pipeline's model a probe question (admin). */
  async checkPipeline(uuid: string): Promise<ModelCheckData> {
    return this.request('POST', `${pipelinePath(uuid)}/check`, modelCheckDataSchema);
  }

  /** The pipeline's public widget settings (admin); the server creates them, private, on first read. */
  async getWidgetSettings(uuid: string): Promise<WidgetSettings> {
    return (await this.request('GET', `${pipelinePath(uuid)}/widget`, widgetSettingsDataSchema))
      .widget;
  }

  /** Changes the given widget settings (admin); `limits` merge with the stored ones. */
  async updateWidgetSettings(
    uuid: string,
    body: UpdateWidgetSettingsBody,
  ): Promise<WidgetSettings> {
    return (
      await this.request('PATCH', `${pipelinePath(uuid)}/widget`, widgetSettingsDataSchema, {
        body,
      })
    ).widget;
  }

  /** Replaces the widget key (admin): embeds with the old key can no longer start chats. */
  async rotateWidgetKey(uuid: string): Promise<WidgetSettings> {
    return (
      await this.request(
        'POST',
        `${pipelinePath(uuid)}/widget/rotate-key`,
        widgetSettingsDataSchema,
      )
    ).widget;
  }

  /** The runner types the server offers. */
  async listRunners(): Promise<RunnerInfo[]> {
    return (await this.request('GET', '/api/v1/runners', runnersDataSchema)).runners;
  }

  // ---- Conversations -----------------------------------------------------------------------

  /**
   * A conversation's history, oldest first, with the `last_seq` to connect with after loading
   * it. Page back by passing the first message's `id` as `before` while `has_more` is true.
   */
  async getHistory(
    uuid: string,
    sessionType: SessionType,
    options: HistoryOptions = {},
  ): Promise<HistoryData> {
    return this.request(
      'GET',
      `${pipelinePath(uuid)}/ws/messages/${encodeURIComponent(sessionType)}`,
      historyDataSchema,
      { query: { session: options.session, before: options.before, limit: options.limit } },
    );
  }

  /**
   * Uploads an image to a conversation and returns its `image_id` for an `Image` component
   * (`{type: 'Image', image_id}`) sent on a WebSocket of that same conversation. Takes a Blob
   * (a browser File) or bytes (Node: `Uint8Array`, `Buffer`). Fails with `IMAGE_TOO_LARGE` or
   * `IMAGE_TYPE_UNSUPPORTED` (PNG, JPEG, GIF and WebP are accepted).
   */
  async uploadImage(
    uuid: string,
    image: Blob | Uint8Array | ArrayBuffer,
    options: UploadImageOptions = {},
  ): Promise<UploadedImage> {
    const bytes = image instanceof Uint8Array ? image.slice() : image;
    const mediaType = options.mediaType ?? (await declaredImageType(bytes));
    const body = new Blob([bytes], { type: mediaType });
    return this.request('POST', `${pipelinePath(uuid)}/images`, uploadedImageSchema, {
      query: { session_type: options.sessionType ?? 'person', session: options.session },
      rawBody: body,
    });
  }

  /** Resets a conversation: its history and the model's context are gone. */
  async resetConversation(
    uuid: string,
    sessionType: SessionType,
    options: ResetOptions = {},
  ): Promise<void> {
    await this.request(
      'POST',
      `${pipelinePath(uuid)}/ws/reset/${encodeURIComponent(sessionType)}`,
      messageDataSchema,
      { query: { session: options.session } },
    );
  }

  /** The live connections of one pipeline, with totals. */
  async getConnections(uuid: string): Promise<ConnectionsData> {
    return this.request('GET', `${pipelinePath(uuid)}/ws/connections`, connectionsDataSchema);
  }

  /** The live connections of all pipelines (admin). */
  async listAllConnections(): Promise<ConnectionsData> {
    return this.request('GET', '/api/v1/connections', connectionsDataSchema);
  }

  /** Pushes a notice to every connection of the pipeline (admin). */
  async broadcast(uuid: string, message: string | MessageChain): Promise<BroadcastResult> {
    return this.request('POST', `${pipelinePath(uuid)}/ws/broadcast`, broadcastDataSchema, {
      body: { message },
    });
  }

  // ---- Accounts and keys -------------------------------------------------------------------

  /** Every API key, revoked ones included, never their secrets (admin). */
  async listApiKeys(): Promise<ApiKey[]> {
    return (await this.request('GET', '/api/v1/keys', apiKeysDataSchema)).api_keys;
  }

  /** Creates an API key (admin); the secret `key` is in this answer only. */
  async createApiKey(body: CreateApiKeyBody): Promise<CreatedApiKey> {
    return this.request('POST', '/api/v1/keys', createdApiKeyDataSchema, { body });
  }

  /** Revokes an API key (admin). */
  async revokeApiKey(id: number): Promise<void> {
    await this.request('DELETE', `/api/v1/keys/${id}`, messageDataSchema);
  }

  /** Every console account (admin). */
  async listUsers(): Promise<User[]> {
    return (await this.request('GET', '/api/v1/users', usersDataSchema)).users;
  }

  /** Creates a console account (admin). */
  async createUser(body: CreateUserBody): Promise<User> {
    return (await this.request('POST', '/api/v1/users', userDataSchema, { body })).user;
  }

  /** Deletes a console account and ends its sessions (admin). */
  async deleteUser(id: number): Promise<void> {
    await this.request('DELETE', `/api/v1/users/${id}`, messageDataSchema);
  }

  // ---- Conversation browser (web console) ---------------------------------------------------

  /**
   * The pipeline's conversations, newest activity first: an admin gets every one, anyone else
   * the group conversations and their own.
   */
  async listConversations(
    uuid: string,
    options: { limit?: number } = {},
  ): Promise<ConversationSummary[]> {
    const data = await this.request(
      'GET',
      `${pipelinePath(uuid)}/conversations`,
      conversationListDataSchema,
      { query: { limit: options.limit } },
    );
    return data.conversations;
  }

  /** A page of one listed conversation's messages by its id, oldest first. */
  async getConversationMessages(
    uuid: string,
    conversationId: number,
    options: { before?: number; limit?: number } = {},
  ): Promise<ConversationMessagesData> {
    return this.request(
      'GET',
      `${pipelinePath(uuid)}/conversations/${conversationId}/messages`,
      conversationMessagesDataSchema,
      { query: { before: options.before, limit: options.limit } },
    );
  }

  /** Closes one live connection by id (admin); the server logs who did it. */
  async disconnectConnection(connectionId: string): Promise<void> {
    await this.request(
      'DELETE',
      `/api/v1/connections/${encodeURIComponent(connectionId)}`,
      disconnectDataSchema,
    );
  }

  /** Removes a revoked API key from the list (admin); an active key must be revoked first. */
  async deleteRevokedApiKey(id: number): Promise<void> {
    await this.request('DELETE', `/api/v1/revoked-keys/${id}`, messageDataSchema);
  }

  /** Gives a console account another role (admin); the user is signed out everywhere. */
  async changeUserRole(id: number, role: Role): Promise<User> {
    return (
      await this.request('PATCH', `/api/v1/users/${id}/role`, userDataSchema, { body: { role } })
    ).user;
  }

  // ---- Transport ---------------------------------------------------------------------------

  private async request<TSchema extends z.ZodType>(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    path: string,
    dataSchema: TSchema,
    options: RequestOptions = {},
  ): Promise<z.output<TSchema>> {
    const url = joinUrl(this.baseUrl, path);
    for (const [name, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined) url.searchParams.set(name, String(value));
    }
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.currentToken !== undefined) headers.authorization = `Bearer ${this.currentToken}`;
    let body: string | Blob | undefined;
    if (options.rawBody !== undefined) {
      // A type the caller could not tell still needs a header: the server then reads the content.
      headers['content-type'] = options.rawBody.type || 'application/octet-stream';
      body = options.rawBody;
    } else if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.body);
    }

    let response: Response;
    let text: string;
    try {
      response = await this.fetchFunction(url.toString(), {
        method,
        headers,
        body,
        credentials: 'include',
      });
      text = await response.text();
    } catch (error) {
      throw new BotwireClientError({
        code: 'NETWORK_ERROR',
        message: `${method} ${url.pathname} got no answer: ${error instanceof Error ? error.message : String(error)}`,
        cause: error,
      });
    }
    const parsed = parseJson(text);
    if (!response.ok) {
      const envelope = parsed.ok ? errorEnvelopeSchema.safeParse(parsed.value) : undefined;
      if (envelope?.success === true) {
        throw new BotwireClientError({
          code: envelope.data.error,
          message: envelope.data.msg,
          status: response.status,
        });
      }
      throw badResponse(
        method,
        url,
        response.status,
        `HTTP ${response.status} without an error envelope`,
      );
    }
    if (!parsed.ok) throw badResponse(method, url, response.status, 'the body is not JSON');
    const envelope = successEnvelopeSchema(z.unknown()).safeParse(parsed.value);
    if (!envelope.success) {
      throw badResponse(method, url, response.status, describeIssues(envelope.error));
    }
    const data = dataSchema.safeParse(envelope.data.data);
    if (!data.success) {
      throw badResponse(method, url, response.status, `data: ${describeIssues(data.error)}`);
    }
    return data.data;
  }
}

function pipelinePath(uuid: string): string {
  return `/api/v1/pipelines/${encodeURIComponent(uuid)}`;
}

function badResponse(method: string, url: URL, status: number, detail: string): BotwireClientError {
  return new BotwireClientError({
    code: 'BAD_RESPONSE',
    message: `${method} ${url.pathname} answered something that is not a Botwire response (${detail}); is baseUrl right?`,
    status,
  });
}
