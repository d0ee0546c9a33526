import { pipelineBehaviourSchema, type ChatMessage } from '@botwire/protocol';
import type { StoredPipeline } from '../storage/store.js';

/** A stored pipeline with every default, for unit tests; `overrides` replace top-level fields. */
export function pipelineFixture(overrides: Partial<StoredPipeline> = {}): StoredPipeline {
  return {
    uuid: 'pipeline-1',
    name: 'Test pipeline',
    description: '',
    runner: { type: 'echo', settings: { delay_ms: 0 } },
    is_default: false,
    created_at: '2026-11-24T00:00:00.000Z',
    updated_at: '2026-11-24T00:00:00.000Z',
    ...pipelineBehaviourSchema.parse({}),
    ...overrides,
  };
}

/** A stored chat message for unit tests. */
export function messageFixture(
  fields: Pick<ChatMessage, 'id' | 'role' | 'content'> & Partial<ChatMessage>,
): ChatMessage {
  return {
    message_chain: fields.content === '' ? [] : [{ type: 'Plain', text: fields.content }],
    timestamp: '2026-11-24T00:00:00.000Z',
    is_final: true,
    status: 'complete',
    reply_to: null,
    sender: fields.role === 'user' ? { id: 'user:1', name: 'Alice' } : null,
    ...fields,
  };
}
