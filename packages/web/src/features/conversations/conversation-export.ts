import type { ChatMessage, ConversationMessagesData, ConversationSummary } from '@botwire/client';

/** Pages fetched at most when exporting (500 messages each): a bound, not a realistic limit. */
export const EXPORT_PAGE_LIMIT = 200;

/** What an export file holds. */
export interface ConversationExport {
  exported_at: string;
  pipeline: { uuid: string; name: string };
  conversation: ConversationSummary;
  /** Oldest first. */
  messages: ChatMessage[];
}

/** The server answered no page of the conversation (it was deleted while exporting). */
export class ConversationMissingError extends Error {
  constructor() {
    super('The conversation could not be loaded.');
    this.name = 'ConversationMissingError';
  }
}

/**
 * Every message of a conversation, oldest first, fetched page by page backwards through
 * `loadPage` (the REST call) until there are no older ones.
 */
export async function loadAllMessages(
  loadPage: (before: number | undefined) => Promise<ConversationMessagesData>,
): Promise<{ conversation: ConversationSummary; messages: ChatMessage[] }> {
  let before: number | undefined;
  let conversation: ConversationSummary | undefined;
  const pages: ChatMessage[][] = [];
  for (let page = 0; page < EXPORT_PAGE_LIMIT; page += 1) {
    const data = await loadPage(before);
    conversation ??= data.conversation;
    pages.unshift(data.messages);
    const first = data.messages[0];
    if (!data.has_more || first === undefined) break;
    before = first.id;
  }
  if (conversation === undefined) throw new ConversationMissingError();
  return { conversation, messages: pages.flat() };
}

/** The export as pretty JSON. */
export function exportJson(data: ConversationExport): string {
  return `${JSON.stringify(data, null, 2)}\n`;
}

/** A file name for the export, e.g. `botwire-support-bot-conversation-12.json`. */
export function exportFileName(pipelineName: string, conversationId: number): string {
  const slug = pipelineName
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return `botwire-${slug === '' ? 'pipeline' : slug}-conversation-${conversationId}.json`;
}
