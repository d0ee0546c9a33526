import {
  requestedModel,
  requestIds,
  sseEvent,
  startFakeProviderServer,
  type FakeProviderServer,
  type FakeServerOptions,
  type RecordedRequest,
  type WireFormat,
} from './fake-provider-server.js';

export type { FakeBehaviour, FakeProviderServer, RecordedRequest } from './fake-provider-server.js';

/**
 * A fake Anthropic Messages API (`POST /v1/messages`), speaking the real wire format: the
 * `message_start` ... `message_stop` SSE events (with a `ping`), or one `message` object when
 * the request does not stream; errors as `{"type":"error","error":{...}}`.
 */
export function startFakeAnthropicServer(
  options: FakeServerOptions = {},
): Promise<FakeProviderServer> {
  const modelOf = (request: RecordedRequest) => requestedModel(request, 'claude-fake');
  const idOf = requestIds((counter) => `msg_01Fake${String(counter).padStart(6, '0')}`);
  const usage = (outputTokens: number) => ({
    input_tokens: 25,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
    output_tokens: outputTokens,
  });

  const wire: WireFormat = {
    endpoint: '/messages',
    streamStart: (request) => [
      sseEvent(
        {
          type: 'message_start',
          message: {
            id: idOf(request),
            type: 'message',
            role: 'assistant',
            model: modelOf(request),
            content: [],
            stop_reason: null,
            stop_sequence: null,
            usage: usage(1),
          },
        },
        'message_start',
      ),
      sseEvent(
        { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
        'content_block_start',
      ),
      sseEvent({ type: 'ping' }, 'ping'),
    ],
    streamChunk: (text) =>
      sseEvent(
        { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } },
        'content_block_delta',
      ),
    streamEnd: () => [
      sseEvent({ type: 'content_block_stop', index: 0 }, 'content_block_stop'),
      sseEvent(
        {
          type: 'message_delta',
          delta: { stop_reason: 'end_turn', stop_sequence: null },
          usage: { output_tokens: 15 },
        },
        'message_delta',
      ),
      sseEvent({ type: 'message_stop' }, 'message_stop'),
    ],
    completion: (text, request) => ({
      id: idOf(request),
      type: 'message',
      role: 'assistant',
      model: modelOf(request),
      content: [{ type: 'text', text }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: usage(15),
    }),
    errorBody: (status, message) => {
      switch (status) {
        case 401:
          return anthropicError('authentication_error', message ?? 'invalid x-api-key');
        case 404:
          return anthropicError('not_found_error', message ?? 'model: claude-does-not-exist');
        case 413:
          return anthropicError('request_too_large', message ?? 'Request exceeds the maximum size');
        case 429:
          return anthropicError(
            'rate_limit_error',
            message ?? 'This request would exceed the rate limit for your organization.',
          );
        default:
          return anthropicError('api_error', message ?? 'Internal server error');
      }
    },
  };
  return startFakeProviderServer(wire, options);
}

function anthropicError(type: string, message: string) {
  return { type: 'error', error: { type, message } };
}
