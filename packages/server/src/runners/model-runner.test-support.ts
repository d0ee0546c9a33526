import { pipelineBehaviourSchema, type ChatMessage, type ModelParameters } from '@botwire/protocol';
import type { StoredPipeline } from '../storage/store.js';
import type { Prompt, Runner, RunnerInput } from './runner.js';

/** A runner input for model runner tests; the pipeline's runner field is irrelevant to runners. */
export function modelRunnerInput(
  options: { prompt?: Prompt; parameters?: ModelParameters; signal?: AbortSignal } = {},
): RunnerInput {
  const prompt = options.prompt ?? { system: '', messages: [{ role: 'user', text: 'Hi' }] };
  const last = prompt.messages.at(-1)?.text ?? '';
  const pipeline: StoredPipeline = {
    ...pipelineBehaviourSchema.parse({
      system_prompt: prompt.system,
      model_parameters: options.parameters ?? {},
    }),
    uuid: 'pipeline-1',
    name: 'Test pipeline',
    description: '',
    runner: { type: 'echo', settings: { delay_ms: 0 } },
    is_default: false,
    created_at: '2025-01-01T00:00:00.000Z',
    updated_at: '2025-01-01T00:00:00.000Z',
  };
  const message: ChatMessage = {
    id: 1,
    role: 'user',
    content: last,
    message_chain: [{ type: 'Plain', text: last }],
    timestamp: '2025-01-01T00:00:00.000Z',
    is_final: true,
    status: 'complete',
    reply_to: null,
  };
  return { pipeline, message, prompt, signal: options.signal ?? new AbortController().signal };
}

/** A runner input with a system prompt and a three-turn group history, to check what is sent. */
export function conversationInput(parameters: ModelParameters): RunnerInput {
  return modelRunnerInput({
    prompt: {
      system: 'You are terse.',
      messages: [
        { role: 'user', text: 'Alice: hi' },
        { role: 'assistant', text: 'Hello Alice.' },
        { role: 'user', text: 'Bob: what is 2+2?' },
      ],
    },
    parameters,
  });
}

/** What a run produced: the deltas it yielded, and what it threw (undefined when it ended). */
export interface RunOutcome {
  deltas: string[];
  error: unknown;
}

/**
 * Runs `runner` to the end, collecting deltas and the error instead of throwing. `onDelta` sees
 * each delta as it arrives (to cancel mid-stream); returning `'stop'` stops iterating there.
 */
export async function runToEnd(
  runner: Runner,
  input: RunnerInput,
  onDelta?: (text: string, index: number) => 'stop' | void,
): Promise<RunOutcome> {
  const deltas: string[] = [];
  try {
    for await (const delta of runner.run(input)) {
      deltas.push(delta.text);
      if (onDelta?.(delta.text, deltas.length - 1) === 'stop') break;
    }
    return { deltas, error: undefined };
  } catch (error) {
    return { deltas, error };
  }
}
