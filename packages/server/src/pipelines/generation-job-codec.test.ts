import type { ChatMessage } from '@botwire/protocol';
import { describe, expect, it } from 'vitest';
import { generationJobCodec } from './generation-job-codec.js';
import type { PlatformAdapter } from './platform-adapter.js';

const adapter = { name: 'websocket' } as unknown as PlatformAdapter;
const userMessage: ChatMessage = {
  id: 7,
  role: 'user',
  content: 'hello',
  message_chain: [{ type: 'Plain', text: 'hello' }],
  timestamp: '2026-12-06T00:00:00.000Z',
  is_final: true,
  status: 'complete',
  reply_to: null,
  connection_id: 'c1',
  client_id: null,
  sender: { id: 'u1', name: 'Ann' },
};
const reply: ChatMessage = {
  ...userMessage,
  id: 8,
  role: 'assistant',
  content: '',
  message_chain: [],
  is_final: false,
  status: 'streaming',
  reply_to: 7,
};

describe('generationJobCodec', () => {
  const codec = generationJobCodec(adapter);

  it('carries a job to another node and back, with this node’s adapter', () => {
    const decoded = codec.decode(codec.encode({ userMessage, storedAt: 42, adapter, reply }));
    expect(decoded).toEqual({ userMessage, storedAt: 42, adapter, reply });
    const withoutReply = codec.decode(codec.encode({ userMessage, storedAt: 1, adapter }));
    expect(withoutReply).toEqual({ userMessage, storedAt: 1, adapter });
  });

  it('turns what is not a job into undefined, never an exception', () => {
    expect(codec.decode('not json')).toBeUndefined();
    expect(codec.decode('{}')).toBeUndefined();
    expect(codec.decode(JSON.stringify({ user_message: userMessage }))).toBeUndefined();
    expect(
      codec.decode(JSON.stringify({ user_message: userMessage, stored_at: 1, extra: true })),
    ).toBeUndefined();
  });
});
