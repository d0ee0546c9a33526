import type { MessageChain, MessageComponent } from './components.js';

/** Every component type the protocol knows, by name. */
export const COMPONENT_TYPES = ['Plain', 'At', 'AtAll', 'Image', 'Quote'] as const;

/** The first component `type` in `chain` that the protocol does not know, if any. */
export function findUnsupportedComponent(chain: unknown): string | undefined {
  if (!Array.isArray(chain)) return undefined;
  const known: readonly unknown[] = COMPONENT_TYPES;
  for (const component of chain as unknown[]) {
    if (typeof component !== 'object' || component === null) continue;
    const { type } = component as { type?: unknown };
    if (typeof type === 'string' && !known.includes(type)) return type;
  }
  return undefined;
}

/**
 * The text of a chain as the seed defines `content`: Plain text as is, mentions as `@display`,
 * images as `[Image]`; quotes contribute nothing.
 */
export function chainToText(chain: readonly MessageComponent[]): string {
  let text = '';
  for (const component of chain) {
    switch (component.type) {
      case 'Plain':
        text += component.text;
        break;
      case 'At':
        text += `@${component.display ?? component.target}`;
        break;
      case 'AtAll':
        text += '@all';
        break;
      case 'Image':
        text += '[Image]';
        break;
      case 'Quote':
        break;
    }
  }
  return text;
}

/** A one-component chain holding `text`. */
export function textToChain(text: string): MessageChain {
  return [{ type: 'Plain', text }];
}
