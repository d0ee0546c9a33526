import type { Translate } from '../../../i18n/translate.js';
/** What the connect snippets are built from. */
export interface ConnectTarget {
  /** The console's origin, e.g. `https://chat.example.com` (the API is on the same origin). */
  origin: string;
  pipelineUuid: string;
  sessionType: 'person' | 'group';
  /** A named conversation; the default one when undefined. */
  session?: string | undefined;
  /** The signed-in user's name, for the login example. */
  username: string;
}

/** One copyable example. */
export interface ConnectSnippet {
  id: 'url' | 'curl' | 'wscat' | 'websocat' | 'sdk';
  title: string;
  code: string;
}

/** The chat's WebSocket URL for `target` (`ws:` under `http:`, `wss:` under `https:`). */
export function webSocketUrl(target: ConnectTarget): string {
  const url = new URL(
    `/api/v1/pipelines/${encodeURIComponent(target.pipelineUuid)}/ws/connect`,
    target.origin,
  );
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.searchParams.set('session_type', target.sessionType);
  if (target.session !== undefined) url.searchParams.set('session', target.session);
  return url.toString();
}

/** Single-quotes `text` for a POSIX shell. */
function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/**
 * Ways to open this chat's conversation from outside the browser: log in with curl for a
 * token, then connect with wscat, websocat or the SDK, sending the token as a Bearer header.
 * Tools run outside a browser send no `Origin`, which the server allows.
 */
export function connectSnippets(target: ConnectTarget, t: Translate): ConnectSnippet[] {
  const url = webSocketUrl(target);
  const login = new URL('/api/v1/auth/login', target.origin).toString();
  const body = JSON.stringify({ username: target.username, password: 'YOUR_PASSWORD' });
  const hello = JSON.stringify({ type: 'message', message: [{ type: 'Plain', text: 'Hello' }] });
  return [
    { id: 'url', title: t('connect.url'), code: url },
    {
      id: 'curl',
      title: t('connect.curl'),
      code: [
        `TOKEN=$(curl -s -X POST -H 'Content-Type: application/json' \\`,
        `  -d ${shellQuote(body)} \\`,
        `  ${shellQuote(login)} | sed -E 's/.*"token":"([^"]+)".*/\\1/')`,
      ].join('\n'),
    },
    {
      id: 'wscat',
      title: 'wscat',
      code: `wscat -H "Authorization: Bearer $TOKEN" -c ${shellQuote(url)}\n> ${hello}`,
    },
    {
      id: 'websocat',
      title: 'websocat',
      code: `echo ${shellQuote(hello)} | \\\n  websocat -n -H "Authorization: Bearer $TOKEN" ${shellQuote(url)}`,
    },
    {
      id: 'sdk',
      title: t('connect.sdk'),
      code: [
        `import { WebSocketClient } from '@botwire/client';`,
        `import WebSocket from 'ws'; // Node 20; browsers have their own`,
        ``,
        `const client = new WebSocketClient(${JSON.stringify(target.pipelineUuid)}, ${JSON.stringify(target.sessionType)}, {`,
        `  baseUrl: ${JSON.stringify(target.origin)},`,
        ...(target.session === undefined ? [] : [`  session: ${JSON.stringify(target.session)},`]),
        `  token: process.env.TOKEN,`,
        `  WebSocket,`,
        `});`,
        `client.onMessage((message) => console.log(message.role, message.content));`,
        `await client.connect();`,
        `await client.sendMessage('Hello');`,
      ].join('\n'),
    },
  ];
}
