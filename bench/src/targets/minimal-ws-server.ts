/**
 * The reference server: the bench job written directly on `ws`, with nothing else. It speaks
 * Botwire's frames (`connected`, `user_message`, `response` with `seq`, `broadcast`) so the same
 * load worker drives it, but has no auth, storage, limits, heartbeat or replay. Whatever it costs
 * is the floor for a Node WebSocket server; ratios in the report are taken against it.
 *
 * Run as its own process: `node minimal-ws-server.js --chunks K --chunk-bytes B --interval-ms I`.
 */
import { createServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';
import { announceReady, broadcastMessage, readJsonBody } from './http-body.js';
import {
  messageText,
  parseReplyFlags,
  ReferenceConversations,
  type ReferenceFrame,
} from './reference-conversations.js';

const settings = parseReplyFlags(process.argv.slice(2));
const subscribers = new Map<string, Set<WebSocket>>();

const conversations = new ReferenceConversations({
  reply: settings,
  deliver(session: string, frame: ReferenceFrame): void {
    const sockets = subscribers.get(session);
    if (sockets === undefined) return;
    // Serialized once, whatever the number of subscribers.
    const text = JSON.stringify(frame);
    for (const socket of sockets) socket.send(text);
  },
});

const server = createServer((request, response) => {
  if (request.method === 'POST' && request.url === '/broadcast') {
    void readJsonBody(request).then((body) => {
      const text = JSON.stringify({
        type: 'broadcast',
        message: broadcastMessage(body),
        timestamp: new Date().toISOString(),
      });
      let sent = 0;
      for (const socket of webSocketServer.clients) {
        socket.send(text);
        sent += 1;
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ sent }));
    });
    return;
  }
  response.writeHead(404).end();
});

const webSocketServer = new WebSocketServer({ server, perMessageDeflate: false });

webSocketServer.on('connection', (socket, request) => {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const session = url.searchParams.get('session') ?? 'default';
  let sockets = subscribers.get(session);
  if (sockets === undefined) {
    sockets = new Set();
    subscribers.set(session, sockets);
  }
  sockets.add(socket);
  socket.send(
    JSON.stringify({
      type: 'connected',
      connection_id: randomUUID(),
      session,
      last_seq: conversations.lastSeq(session),
      protocol_version: 1,
      timestamp: new Date().toISOString(),
    }),
  );
  socket.on('message', (data: Buffer) => {
    let frame: unknown;
    try {
      frame = JSON.parse(data.toString('utf8'));
    } catch {
      return;
    }
    if ((frame as { type?: unknown } | null)?.type === 'message') {
      conversations.receiveMessage(session, messageText(frame));
    }
  });
  socket.on('error', () => undefined);
  socket.on('close', () => {
    sockets.delete(socket);
    if (sockets.size === 0) subscribers.delete(session);
  });
});

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address !== null && typeof address === 'object') announceReady(address.port);
});

process.on('SIGTERM', () => process.exit(0));
