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
 * A fake OpenAI-compatible Chat Completions server (`POST /v1/chat/completions`), speaking the
 * real wire format: SSE `chat.completion.chunk` lines ending in `data: [DONE]`, or one
 * `chat.completion` object when the request does not stream; errors as `{"error": {...}}`.
 */
export function startFakeOpenAiServer(
  options: FakeServerOptions = {},
): Promise<FakeProviderServer> {
  const created = () => Math.floor(Date.now() / 1000);
  const modelOf = (request: RecordedRequest) => requestedModel(request, 'fake-model');
  const idOf = requestIds((counter) => `chatcmpl-fake${counter}`);
  const chunk = (request: RecordedRequest, delta: object, finishReason: string | null) =>
    sseEvent({
      id: idOf(request),
      object: 'chat.completion.chunk',
      created: created(),
      model: modelOf(request),
      system_fingerprint: 'fp_fake',
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    });

  const wire: WireFormat = {
    endpoint: '/chat/completions',
    streamStart: (request) => [chunk(request, { role: 'assistant', content: '' }, null)],
    streamChunk: (text, request) => chunk(request, { content: text }, null),
    streamEnd: (_text, request) => [chunk(request, {}, 'stop'), sseEvent('[DONE]')],
    completion: (text, request) => ({
      id: idOf(request),
      object: 'chat.completion',
      created: created(),
      model: modelOf(request),
      system_fingerprint: 'fp_fake',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: text, refusal: null },
          logprobs: null,
          finish_reason: 'stop',
        },
      ],
      usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
    }),
    errorBody: (status, message) => {
      switch (status) {
        case 401:
          return openAiError(
            message ??
              'Incorrect API key provided. You can find your API key in your account settings.',
            'invalid_request_error',
            'invalid_api_key',
          );
        case 404:
          return openAiError(
            message ?? 'The model does not exist or you do not have access to it.',
            'invalid_request_error',
            // A given message means an unknown route, which OpenAI reports without a code.
            message === undefined ? 'model_not_found' : null,
          );
        case 429:
          return openAiError(
            message ?? 'Rate limit reached for requests. Please try again in 20s.',
            'requests',
            'rate_limit_exceeded',
          );
        default:
          return openAiError(
            message ?? 'The server had an error while processing your request. Sorry about that!',
            'server_error',
            null,
          );
      }
    },
  };
  return startFakeProviderServer(wire, options);
}

function openAiError(message: string, type: string, code: string | null) {
  return { error: { message, type, param: null, code } };
}
