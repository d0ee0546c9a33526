import type { ChatMessage, ConversationMessagesData } from '@botwire/client';
import { describe, expect, it } from 'vitest';
import { exportFileName, loadAllMessages } from './conversation-export.js';

const summary = {
  id: 3,
  session_type: 'person' as const,
  session: 'default',
  owner: 'user:1',
  message_count: 5,
  last_message: null,
  created_at: '2026-12-05T08:00:00.000Z',
};

function message(id: number): ChatMessage {
  return {
    id,
    role: 'user',
    content: `m${id}`,
    message_chain: [{ type: 'Plain', text: `m${id}` }],
    timestamp: '2026-12-05T08:00:00.000Z',
    is_final: true,
    status: 'complete',
    reply_to: null,
  };
}

describe('conversation export', () => {
  it('pages backwards until no older messages remain and returns them oldest first', async () => {
    const all = [1, 2, 3, 4, 5].map(message);
    const requested: (number | undefined)[] = [];
    const result = await loadAllMessages((before) => {
      requested.push(before);
      const older = all.filter((entry) => before === undefined || entry.id < before);
      const page = older.slice(-2);
      const data: ConversationMessagesData = {
        conversation: summary,
        messages: page,
        has_more: older.length > page.length,
      };
      return Promise.resolve(data);
    });
    expect(requested).toEqual([undefined, 4, 2]);
    expect(result.messages.map((entry) => entry.id)).toEqual([1, 2, 3, 4, 5]);
    expect(result.conversation).toBe(summary);
  });

  it('names the file after the pipeline and the conversation', () => {
    expect(exportFileName('Support bot (prod)', 12)).toBe(
      'botwire-support-bot-prod-conversation-12.json',
    );
    expect(exportFileName('客服', 1)).toBe('botwire-pipeline-conversation-1.json');
  });
});
