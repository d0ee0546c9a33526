/**
 * The bench job on Socket.IO, what a Node developer would likely pick instead, with its
 * recommended tuning: WebSocket transport only (no long-polling upgrade dance), no
 * per-message deflate, no HTTP compression, no client bundle served. Events carry the same
 * JSON frames as Botwire's (`socket.emit('response', frame)`); a conversation is a room.
 * With `--recovery`, Socket.IO's connection state recovery replays missed packets after a
 * reconnect (used by the reconnect storm, the feature's intended use).
 *
 * Run as its own process: `node socket-io-server.js --chunks K --chunk-bytes B --interval-ms I`.
 */
import { createServer } from 'node:http';
import { Server } from 'socket.io';
import { announceReady, broadcastMessage, readJsonBody } from './http-body.js';
import {
  messageText,
  parseReplyFlags,
  ReferenceConversations,
  type ReferenceFrame,
} from './reference-conversations.js';

const settings = parseReplyFlags(process.argv.slice(2));

const server = createServer((request, response) => {
  if (request.method === 'POST' && request.url === '/broadcast') {
    void readJsonBody(request).then((body) => {
      const frame = {
        type: 'broadcast',
        message: broadcastMessage(body),
        timestamp: new Date().toISOString(),
      };
      io.emit('broadcast', frame);
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ sent: io.engine.clientsCount }));
    });
    return;
  }
  // Socket.IO handles its own path (/socket.io/); everything else is not found.
  if (!(request.url ?? '').startsWith('/socket.io/')) response.writeHead(404).end();
});

const io = new Server(server, {
  transports: ['websocket'],
  perMessageDeflate: false,
  httpCompression: false,
  serveClient: false,
  ...(settings.recovery
    ? { connectionStateRecovery: { maxDisconnectionDuration: 120_000, skipMiddlewares: true } }
    : {}),
});

const conversations = new ReferenceConversations({
  reply: settings,
  deliver(session: string, frame: ReferenceFrame): void {
    io.to(session).emit(String(frame.type), frame);
  },
});

io.on('connection', (socket) => {
  const query = socket.handshake.query;
  const session = typeof query.session === 'string' ? query.session : 'default';
  // A recovered socket is back in its rooms and has had its missed packets replayed.
  if (!socket.recovered) void socket.join(session);
  socket.on('message', (frame: unknown) => {
    conversations.receiveMessage(session, messageText(frame));
  });
});

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address !== null && typeof address === 'object') announceReady(address.port);
});

process.on('SIGTERM', () => process.exit(0));
