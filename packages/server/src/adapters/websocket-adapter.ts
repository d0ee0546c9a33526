import { encodeFrame, type ResponseData } from '@botwire/protocol';
import type { ConnectionManager } from '../connections/connection-manager.js';
import type {
  AdapterManifest,
  PlatformAdapter,
  ReplyFailure,
  ReplyTarget,
} from '../pipelines/platform-adapter.js';

/** The built-in WebSocket adapter's manifest (the seed's websocket.yaml). */
export const WEBSOCKET_ADAPTER_MANIFEST: AdapterManifest = {
  name: 'websocket',
  label: 'WebSocket',
  description: 'Real-time chat over WebSocket for the web console, the SDK and the CLI.',
  settingsSchema: { type: 'object', properties: {}, additionalProperties: false },
  builtIn: true,
};

/**
 * Delivers replies to WebSocket clients. Chunks and failures become events of the
 * conversation's ordered stream, which every connection of the conversation is subscribed to
 * (and which resuming clients replay from); broadcasts go straight to the live connections.
 */
export class WebSocketAdapter implements PlatformAdapter {
  readonly manifest = WEBSOCKET_ADAPTER_MANIFEST;

  constructor(private readonly connections: ConnectionManager) {}

  isStreamSupported(): boolean {
    return true;
  }

  replyChunk(target: ReplyTarget, chunk: ResponseData): Promise<unknown> {
    return target.channel.append({ type: 'response', data: chunk });
  }

  reply(target: ReplyTarget, message: ResponseData): Promise<unknown> {
    return target.channel.append({ type: 'response', data: message });
  }

  broadcast(pipelineUuid: string, text: string): number {
    // Encoded once, whatever the number of recipients.
    const frame = encodeFrame({
      type: 'broadcast',
      message: text,
      timestamp: new Date().toISOString(),
    });
    return this.connections.broadcast(pipelineUuid, frame);
  }

  reportFailure(target: ReplyTarget, failure: ReplyFailure): Promise<unknown> {
    // The same error frame as before it was an event, now with a seq: replayed to a client that
    // resumes from before it.
    return target.channel.append({
      type: 'error',
      code: failure.code,
      message: failure.message,
      reply_id: failure.replyId,
    });
  }
}
