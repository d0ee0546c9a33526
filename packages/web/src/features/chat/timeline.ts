import type { ChatMessage } from '@botwire/client';
import type { ChatNotice, ChatState } from './chat-state.js';

/** A row of the conversation as shown: a stored message or a notice, in display order. */
export type TimelineEntry =
  { kind: 'message'; message: ChatMessage } | { kind: 'notice'; notice: ChatNotice };

/** Messages with each notice placed after the message that was newest when it arrived. */
export function timeline(state: ChatState): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  const placed = new Set<string>();
  const noticesAfter = (id: number | undefined): void => {
    for (const item of state.notices) {
      if (item.afterMessageId === id && !placed.has(item.id)) {
        placed.add(item.id);
        entries.push({ kind: 'notice', notice: item });
      }
    }
  };
  noticesAfter(undefined);
  for (const message of state.messages) {
    entries.push({ kind: 'message', message });
    noticesAfter(message.id);
  }
  // A notice whose message is gone (history replaced) still shows, at the end.
  for (const item of state.notices) {
    if (!placed.has(item.id)) entries.push({ kind: 'notice', notice: item });
  }
  return entries;
}
