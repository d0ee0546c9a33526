import { createHmac } from 'node:crypto';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { VisitorTokenData, WidgetLimits, WidgetSettings } from '@botwire/protocol';
import { connectChat, openChatSocket, type ChatSocket } from './chat-socket.js';
import { rest } from './rest-client.js';
import type { ServerProcess } from './server-process.js';

/** The page origin the tests embed the widget on; anything else counts as a foreign site. */
export const HOST_ORIGIN = 'http://shop.example.test:8080';

/** Makes a pipeline public (echo runner) on `origins`; returns its uuid and widget key. */
export async function createPublicPipeline(
  server: ServerProcess,
  options: { origins?: string[]; limits?: Partial<WidgetLimits>; name?: string } = {},
): Promise<{ uuid: string; key: string; settings: WidgetSettings }> {
  const created = await rest<{ pipeline: { uuid: string } }>(
    server.url,
    'POST',
    '/api/v1/pipelines',
    {
      body: { name: options.name ?? 'public bot', runner: { type: 'echo' } },
    },
  );
  if (created.status !== 201)
    throw new Error(`pipeline not created: ${JSON.stringify(created.body)}`);
  const uuid = created.body.data.pipeline.uuid;
  const updated = await rest<{ widget: WidgetSettings }>(
    server.url,
    'PATCH',
    `/api/v1/pipelines/${uuid}/widget`,
    {
      body: {
        public: true,
        allowed_origins: options.origins ?? [HOST_ORIGIN],
        ...(options.limits === undefined ? {} : { limits: options.limits }),
      },
    },
  );
  if (updated.status !== 200) throw new Error(`widget not set: ${JSON.stringify(updated.body)}`);
  return { uuid, key: updated.body.data.widget.widget_key, settings: updated.body.data.widget };
}

/** `POST /api/v1/widget/visitors` as a page on `origin` would call it. */
export function requestVisitor(
  server: ServerProcess,
  body: Record<string, unknown>,
  origin: string | null = HOST_ORIGIN,
) {
  return rest<VisitorTokenData>(server.url, 'POST', '/api/v1/widget/visitors', {
    token: null,
    body,
    headers: origin === null ? {} : { origin },
  });
}

/** A fresh visitor token for the pipeline. */
export async function issueVisitor(
  server: ServerProcess,
  pipeline: { uuid: string; key: string },
  origin = HOST_ORIGIN,
): Promise<VisitorTokenData> {
  const answer = await requestVisitor(
    server,
    { pipeline_uuid: pipeline.uuid, widget_key: pipeline.key },
    origin,
  );
  if (answer.status !== 201) throw new Error(`no visitor token: ${JSON.stringify(answer.body)}`);
  return answer.body.data;
}

/**
 * Opens a chat socket as the widget does: no credentials on the upgrade, the visitor token in
 * the `authenticate` first frame, the page's Origin.
 */
export async function openVisitorSocket(
  server: ServerProcess,
  pipelineUuid: string,
  token: string,
  options: { origin?: string; query?: string; waitConnected?: boolean } = {},
): Promise<ChatSocket> {
  const open = options.waitConnected === false ? openChatSocket : connectChat;
  const pending = openChatSocket(server.wsUrl, pipelineUuid, {
    token: null,
    headers: { origin: options.origin ?? HOST_ORIGIN },
    ...(options.query === undefined ? {} : { query: options.query }),
  });
  const chat = await pending;
  chat.send({ type: 'authenticate', token });
  if (open === connectChat) await chat.next('connected');
  return chat;
}

/**
 * A token signed with the server's real secret (read from its SQLite file) but with claims of
 * the test's choosing: how the tests make an expired token without waiting a day.
 */
export function forgeWithServerSecret(
  server: ServerProcess,
  claims: { p: string; v: string; iat: number; exp: number },
): string {
  const database = new Database(path.join(server.dataDir, 'botwire.sqlite'), { readonly: true });
  try {
    const row = database
      .prepare("select value from server_secrets where name = 'visitor-token-hmac-sha256'")
      .get() as { value: string } | undefined;
    if (row === undefined) throw new Error('the server has no visitor-token secret yet');
    const payload = Buffer.from(JSON.stringify(claims), 'utf8').toString('base64url');
    const signature = createHmac('sha256', Buffer.from(row.value, 'base64url'))
      .update(payload, 'utf8')
      .digest('base64url');
    return `bw_visitor.${payload}.${signature}`;
  } finally {
    database.close();
  }
}
