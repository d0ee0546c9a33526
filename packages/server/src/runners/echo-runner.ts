import type { ImageComponent, MessageChain, RunnerConfig } from '@botwire/protocol';
import { abortableDelay } from './abortable-delay.js';
import type { Runner, RunnerInput, TextDelta } from './runner.js';

type EchoConfig = Extract<RunnerConfig, { type: 'echo' }>;

/** Says in every reply that no model answered, so nobody mistakes the echo for a bot. */
export const ECHO_LABEL = '[echo: no model configured] ';

/** Splits text into words, keeping the whitespace so the pieces join back to the original. */
export function splitIntoWords(text: string): string[] {
  return text.match(/\s*\S+|\s+/g) ?? [];
}

/** How the echo names an image: "[Image image/png 12 KB]", "[Image https://...]". */
export function describeImage(image: ImageComponent): string {
  if (image.url !== undefined && image.image_id === undefined) return `[Image ${image.url}]`;
  if (image.base64 !== undefined) {
    const type = /^data:([^;]+);/.exec(image.base64)?.[1] ?? 'image';
    return `[Image ${type} inline]`;
  }
  const size =
    image.bytes === undefined ? '' : ` ${Math.max(1, Math.round(image.bytes / 1024))} KB`;
  return `[Image ${image.media_type ?? 'image'}${size}]`;
}

/** The text the echo repeats: the chain's text, with images described rather than `[Image]`. */
export function echoTextOf(chain: MessageChain): string {
  let text = '';
  for (const component of chain) {
    if (component.type === 'Plain') text += component.text;
    else if (component.type === 'At') text += `@${component.display ?? component.target}`;
    else if (component.type === 'AtAll') text += '@all';
    else if (component.type === 'Image') text += describeImage(component);
  }
  return text;
}

/**
 * The zero-configuration runner: streams the user's own text back word by word, labelled as
 * coming from no model. Deterministic, so tests and demos can rely on its output.
 */
export function createEchoRunner(config: EchoConfig): Runner {
  const { delay_ms: delayMilliseconds } = config.settings;
  return {
    async *run(input: RunnerInput): AsyncIterable<TextDelta> {
      const text = echoTextOf(input.message.message_chain).trim() || '(empty message)';
      const pieces = [ECHO_LABEL.trimEnd(), ...splitIntoWords(` ${text}`)];
      for (const [index, piece] of pieces.entries()) {
        if (index > 0) await abortableDelay(delayMilliseconds, input.signal);
        yield { type: 'text-delta', text: piece };
      }
    },
  };
}
