import { streamText, type ImagePart, type LanguageModel, type ModelMessage } from 'ai';
import { BotwireError } from '../errors/botwire-error.js';
import { toModelError } from './model-error.js';
import type { PromptImage, PromptMessage, RunnerInput, TextDelta } from './runner.js';

// The server logs through its own logger; without this the SDK prints call warnings (such as an
// ignored temperature) to the console. The app may install a function here to log them instead.
globalThis.AI_SDK_LOG_WARNINGS ??= false;

/** Who is being called, for timeouts and error messages. */
export interface ModelCallSettings {
  /** The runner type, e.g. `openai-compatible`. */
  provider: string;
  model: string;
  baseUrl: string;
  /** Longest wait for the whole reply. */
  timeoutMs: number;
  /** Only used to keep the key out of error messages. */
  apiKey?: string | null;
}

/** An image as an AI SDK image part; each provider turns it into its own wire format. */
function toImagePart(image: PromptImage): ImagePart {
  return 'url' in image
    ? { type: 'image', image: new URL(image.url) }
    : { type: 'image', image: image.data, mediaType: image.mediaType };
}

/** Maps the prompt's turns to AI SDK messages; user messages with images become parts. */
export function toModelMessages(messages: readonly PromptMessage[]): ModelMessage[] {
  return messages.map((message): ModelMessage => {
    if (message.role === 'assistant') return { role: 'assistant', content: message.text };
    if (message.images === undefined || message.images.length === 0) {
      return { role: 'user', content: message.text };
    }
    return {
      role: 'user',
      content: [{ type: 'text', text: message.text }, ...message.images.map(toImagePart)],
    };
  });
}

/**
 * The one place that talks to the AI SDK, so every model runner streams, times out, cancels and
 * reports failures the same way. Yields text deltas; throws a BotwireError (MODEL_*) on failure;
 * returns quietly when `input.signal` aborts, since the executor owns cancellation. The request
 * is aborted when the caller stops iterating early, so the upstream connection never lingers.
 */
export async function* streamModelText(
  model: LanguageModel,
  input: RunnerInput,
  settings: ModelCallSettings,
): AsyncGenerator<TextDelta, void, undefined> {
  if (input.signal.aborted) return;

  const controller = new AbortController();
  let timedOut = false;
  let settled = false;
  const onInputAbort = () => controller.abort(input.signal.reason);
  input.signal.addEventListener('abort', onInputAbort, { once: true });
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(
      new DOMException(`No complete reply within ${settings.timeoutMs} ms`, 'TimeoutError'),
    );
  }, settings.timeoutMs);

  const fail = (error: unknown): BotwireError =>
    toModelError(error, {
      provider: settings.provider,
      model: settings.model,
      baseUrl: settings.baseUrl,
      timeoutMs: settings.timeoutMs,
      timedOut,
      apiKey: settings.apiKey,
    });

  try {
    const parameters = input.pipeline.model_parameters;
    const result = streamText({
      model,
      ...(input.prompt.system.trim() === '' ? {} : { system: input.prompt.system }),
      messages: toModelMessages(input.prompt.messages),
      temperature: parameters.temperature,
      maxOutputTokens: parameters.max_output_tokens,
      abortSignal: controller.signal,
      maxRetries: 0,
      // Failures arrive as `error` parts below; the default handler would print them.
      onError: () => undefined,
    });

    // The SDK reports HTTP and provider errors as `error` parts and an aborted signal (ours:
    // cancel or timeout) as an `abort` part; a connection lost mid-body is thrown instead.
    let finished = false;
    for await (const part of result.fullStream) {
      if (part.type === 'text-delta') {
        if (part.text !== '') yield { type: 'text-delta', text: part.text };
      } else if (part.type === 'finish') {
        finished = true;
        reportUsage(input, part);
      } else if (part.type === 'error' || part.type === 'abort') {
        if (input.signal.aborted) return;
        throw fail(part.type === 'error' ? part.error : controller.signal.reason);
      }
    }
    settled = true;
    if (!finished && timedOut && !input.signal.aborted) throw fail(controller.signal.reason);
  } catch (error) {
    if (input.signal.aborted) return;
    if (error instanceof BotwireError) throw error;
    throw fail(error);
  } finally {
    clearTimeout(timer);
    input.signal.removeEventListener('abort', onInputAbort);
    // Stopped before the end (the caller broke off, or a failure): drop the request rather than
    // let the SDK read the rest of the body in the background, which it does otherwise.
    if (!settled) controller.abort(new DOMException('The reply is no longer wanted', 'AbortError'));
  }
}

/** Passes the provider's token counts and finish reason to the executor, when it asked. */
function reportUsage(
  input: RunnerInput,
  part: {
    finishReason: string;
    rawFinishReason?: string | undefined;
    totalUsage: { inputTokens: number | undefined; outputTokens: number | undefined };
  },
): void {
  input.onUsage?.({
    inputTokens: part.totalUsage.inputTokens,
    outputTokens: part.totalUsage.outputTokens,
    // `other`/`unknown` say nothing; the provider's own word is more useful then.
    finishReason:
      part.finishReason === 'other' || part.finishReason === 'unknown'
        ? (part.rawFinishReason ?? part.finishReason)
        : part.finishReason,
  });
}
