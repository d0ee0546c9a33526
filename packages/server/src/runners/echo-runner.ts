import { chainToText, type RunnerConfig } from '@botwire/protocol';
import { abortableDelay } from './abortable-delay.js';
import type { Runner, RunnerInput, TextDelta } from './runner.js';

type EchoConfig = Extract<RunnerConfig, { type: 'echo' }>;

/** Says in every reply that no model answered, so nobody mistakes the echo for a bot. */
export const ECHO_LABEL = '[echo: no model configured] ';

/** Splits text into words, keeping the whitespace so the pieces join back to the original. */
export function splitIntoWords(text: string): string[] {
  return text.match(/\s*\S+|\s+/g) ?? [];
}

/**
 * The zero-configuration runner: streams the user's own text back word by word, labelled as
 * coming from no model. Deterministic, so tests and demos can rely on its output.
 */
export function createEchoRunner(config: EchoConfig): Runner {
  const { delay_ms: delayMilliseconds } = config.settings;
  return {
    async *run(input: RunnerInput): AsyncIterable<TextDelta> {
      const text = chainToText(input.message.message_chain).trim() || '(empty message)';
      const pieces = [ECHO_LABEL.trimEnd(), ...splitIntoWords(` ${text}`)];
      for (const [index, piece] of pieces.entries()) {
        if (index > 0) await abortableDelay(delayMilliseconds, input.signal);
        yield { type: 'text-delta', text: piece };
      }
    },
  };
}
