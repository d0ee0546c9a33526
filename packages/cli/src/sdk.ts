import {
  BackendClient,
  WebSocketClient,
  type SessionType,
  type WebSocketClientOptions,
} from '@botwire/client';
import WebSocket from 'ws';
import type { Credentials } from './credentials.js';

/** The REST types the CLI shows, as the SDK returns them. */
export type Pipeline = Awaited<ReturnType<BackendClient['listPipelines']>>[number];
export type CreatePipelineBody = Parameters<BackendClient['createPipeline']>[0];
export type ApiKey = Awaited<ReturnType<BackendClient['listApiKeys']>>[number];
export type CreateApiKeyBody = Parameters<BackendClient['createApiKey']>[0];
export type ConnectionsData = Awaited<ReturnType<BackendClient['getConnections']>>;
export type HistoryData = Awaited<ReturnType<BackendClient['getHistory']>>;

/** The runner types `pipelines create --runner` offers. */
export const RUNNER_TYPES = ['echo', 'bench', 'openai-compatible', 'anthropic'] as const;
export type RunnerType = (typeof RUNNER_TYPES)[number];

export const SESSION_TYPES = ['person', 'group'] as const satisfies readonly SessionType[];

export const ROLES = ['member', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** The REST client for `credentials`. */
export function createBackend(credentials: Credentials): BackendClient {
  return new BackendClient({ baseUrl: credentials.url, token: credentials.apiKey });
}

/** A chat connection for `credentials`, with the `ws` package as its WebSocket (Node 20 has none). */
export function createChatClient(
  credentials: Credentials,
  pipeline: string,
  sessionType: SessionType,
  options: Omit<WebSocketClientOptions, 'baseUrl' | 'token' | 'WebSocket'> = {},
): WebSocketClient {
  return new WebSocketClient(pipeline, sessionType, {
    ...options,
    baseUrl: credentials.url,
    token: credentials.apiKey,
    WebSocket,
  });
}
