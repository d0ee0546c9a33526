import type { MessageChain } from '@botwire/client';

/** Who a mention in the composer points at: the bot, by pipeline uuid, shown by name. */
export interface MentionTarget {
  /** The `At` target; the pipeline's uuid makes the server count it as mentioning the bot. */
  target: string;
  /** The name shown in the chip and stored as the `At` component's `display`. */
  display: string;
}

/** An `@query` being typed: where its `@` is and the text typed after it. */
export interface MentionQuery {
  /** Index of the `@` in the text. */
  start: number;
  query: string;
}

/**
 * The `@query` the caret is in, if any. The `@` must start the text or follow whitespace, so an
 * e-mail address such as `ops@example.com` does not open the picker.
 */
export function findMentionQuery(text: string, caret: number): MentionQuery | undefined {
  const before = text.slice(0, caret);
  const match = /(^|\s)@([^\s@]*)$/.exec(before);
  if (match === null) return undefined;
  const query = match[2] ?? '';
  return { start: caret - query.length - 1, query };
}

/** Whether the picker should offer `name` for what was typed after the `@`. */
export function mentionMatches(name: string, query: string): boolean {
  return name.toLowerCase().includes(query.toLowerCase());
}

/**
 * Removes the typed `@query` (from its `@` to the caret) once the mention became a chip, and
 * says where the caret goes. The space typed before the `@` goes too when nothing but space
 * follows, so `hi @bo` plus ` there` reads `hi there`, not `hi  there`.
 */
export function removeMentionQuery(
  text: string,
  query: MentionQuery,
  caret: number,
): { text: string; caret: number } {
  const after = text.slice(caret);
  let start = query.start;
  if (start > 0 && /\s/.test(text.charAt(start - 1)) && (after === '' || /^\s/.test(after))) {
    start -= 1;
  }
  return { text: text.slice(0, start) + after, caret: start };
}

/**
 * The message chain the composer sends. A mention comes first, as an `At` component whose
 * target is the pipeline's uuid (what the server's mention trigger looks for), and the text
 * follows as `Plain` with a separating space, as a typed `@name text` would read. Uploaded
 * images (their ids) come last, in the order they were attached.
 */
export function composeMessageChain(
  text: string,
  mention: MentionTarget | undefined,
  imageIds: readonly string[] = [],
): MessageChain {
  const trimmed = text.trim();
  const chain: MessageChain[number][] = [];
  if (mention !== undefined) {
    chain.push({ type: 'At', target: mention.target, display: mention.display });
  }
  if (trimmed !== '') {
    chain.push({ type: 'Plain', text: mention === undefined ? trimmed : ` ${trimmed}` });
  }
  for (const imageId of imageIds) chain.push({ type: 'Image', image_id: imageId });
  // Nothing typed, attached or mentioned still sends what was typed (the composer never does).
  return chain.length === 0 ? [{ type: 'Plain', text: trimmed }] : chain;
}

/** The text of a chain as the server stores it in `content` (`@display` for a mention). */
export function chainText(chain: MessageChain): string {
  return chain
    .map((component) => {
      switch (component.type) {
        case 'Plain':
          return component.text;
        case 'At':
          return `@${component.display ?? component.target}`;
        case 'AtAll':
          return '@all';
        case 'Image':
          return '[Image]';
        case 'Quote':
          return '';
      }
    })
    .join('');
}
