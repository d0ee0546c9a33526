import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import {
  chainToText,
  type MessageChain,
  type Pipeline,
  type ResponseFrame,
} from '@botwire/protocol';
import type { ChatSocket } from './chat-socket.js';
import type { FakeProviderServer, RecordedRequest } from './fake-provider-server.js';
import { rest } from './rest-client.js';
import type { ServerProcess } from './server-process.js';
import { createPipelineFromBody, eventually } from './stream-test-kit.js';

/**
 * Helpers for end-to-end tests of model pipelines: pipelines pointed at the fake providers,
 * the prompt a fake received (in either wire format), closed ports and mentions.
 */

/** Settings of a model runner as a client sends them. */
export interface ModelRunnerSettings {
  base_url: string;
  api_key?: string | null;
  model: string;
  timeout_ms?: number;
}

/** An `openai-compatible` runner pointed at `baseUrl`. */
export function openAiRunner(
  baseUrl: string,
  settings: Partial<ModelRunnerSettings> = {},
): { type: 'openai-compatible'; settings: ModelRunnerSettings } {
  return {
    type: 'openai-compatible',
    settings: { base_url: baseUrl, api_key: 'sk-openai-e2e-key', model: 'gpt-fake', ...settings },
  };
}

/** An `anthropic` runner pointed at `baseUrl`. */
export function anthropicRunner(
  baseUrl: string,
  settings: Partial<ModelRunnerSettings> = {},
): { type: 'anthropic'; settings: ModelRunnerSettings } {
  return {
    type: 'anthropic',
    settings: {
      base_url: baseUrl,
      api_key: 'sk-ant-e2e-key',
      model: 'claude-sonnet-4-5',
      ...settings,
    },
  };
}

/** Creates a pipeline from a whole create body (admin key); fails loudly unless 201. */
export const createModelPipeline = createPipelineFromBody;

/** PATCHes a pipeline (admin key); fails loudly unless 200. */
export async function patchPipeline(
  server: ServerProcess,
  uuid: string,
  body: Record<string, unknown>,
): Promise<Pipeline> {
  const response = await rest<{ pipeline: Pipeline }>(
    server.url,
    'PATCH',
    `/api/v1/pipelines/${uuid}`,
    { body },
  );
  if (response.status !== 200) {
    throw new Error(
      `could not update pipeline: ${response.status} ${JSON.stringify(response.body)}`,
    );
  }
  return response.body.data.pipeline;
}

/** One turn of a prompt as a provider received it, whatever the wire format. */
export interface ReceivedTurn {
  role: string;
  text: string;
}

/** The prompt a fake provider received, normalised over the OpenAI and Anthropic formats. */
export interface ReceivedPrompt {
  /** The system prompt; null when none was sent. */
  system: string | null;
  /** The conversation turns, system message excluded, oldest first. */
  turns: ReceivedTurn[];
}

function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return (content as { type?: unknown; text?: unknown }[])
      .map((part) => (part?.type === 'text' && typeof part.text === 'string' ? part.text : ''))
      .join('');
  }
  throw new Error(`unexpected message content: ${JSON.stringify(content)}`);
}

/** Reads the prompt out of a recorded Chat Completions or Messages API request. */
export function receivedPrompt(request: RecordedRequest): ReceivedPrompt {
  const body = request.body;
  const messages: any[] = Array.isArray(body?.messages) ? body.messages : [];
  let system: string | null = body?.system === undefined ? null : contentText(body.system);
  const turns: ReceivedTurn[] = [];
  for (const message of messages) {
    if (message.role === 'system') {
      system = contentText(message.content);
      continue;
    }
    turns.push({ role: String(message.role), text: contentText(message.content) });
  }
  return { system, turns };
}

/** Waits until the fake has recorded `count` requests (bounded) and returns the last of them. */
export async function waitForRequests(
  fake: FakeProviderServer,
  count: number,
  timeoutMs = 5_000,
): Promise<RecordedRequest> {
  await eventually(() => fake.requests.length >= count, timeoutMs, `${count} model request(s)`);
  return fake.requests[count - 1]!;
}

/** A base URL on 127.0.0.1 at a port that was free a moment ago and is now closed. */
export async function closedPortBaseUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/v1`;
}

/** A message chain that mentions the bot (`At` the pipeline) and then says `text`. */
export function mentionChain(pipelineUuid: string, text: string, display = 'bot'): MessageChain {
  return [
    { type: 'At', target: pipelineUuid, display },
    { type: 'Plain', text: ` ${text}` },
  ];
}

/** Sends a message frame carrying `chain`. */
export function sendChain(chat: ChatSocket, chain: MessageChain): void {
  chat.send({ type: 'message', message: chain });
}

/** Sends `chain` and returns its acknowledgement: the next `user_message` with its text. */
export async function sendAndAck(chat: ChatSocket, chainOrText: MessageChain | string) {
  const chain: MessageChain =
    typeof chainOrText === 'string' ? [{ type: 'Plain', text: chainOrText }] : chainOrText;
  const content = chainToText(chain);
  const before = chat.ofType('user_message').length;
  const find = () =>
    chat
      .ofType('user_message')
      .slice(before)
      .find((frame) => frame.data.content === content);
  sendChain(chat, chain);
  await chat.waitFor(() => find() !== undefined, 5_000);
  return find()!;
}

/** The final `response` frame answering `replyTo`, waited for at most `timeoutMs`. */
export async function finalFor(
  chat: ChatSocket,
  replyTo: number,
  timeoutMs = 10_000,
): Promise<ResponseFrame> {
  await chat.waitFor(
    () =>
      chat
        .ofType('response')
        .some((frame) => frame.data.is_final && frame.data.reply_to === replyTo),
    timeoutMs,
  );
  return chat
    .ofType('response')
    .find((frame) => frame.data.is_final && frame.data.reply_to === replyTo)!;
}

/** Chunks `0..count-1` of a model reply: `w0 `, `w1 `, ... */
export function words(count: number, prefix = 'w'): string[] {
  return Array.from({ length: count }, (_, index) => `${prefix}${index} `);
}
