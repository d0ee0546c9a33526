import { describe, expect, it } from 'vitest';
import { isVisitorConversation } from './visitor-conversation.js';

describe('isVisitorConversation', () => {
  it('marks conversations owned by a visitor principal', () => {
    expect(isVisitorConversation({ owner: 'visitor:3f2a9c' })).toBe(true);
  });

  it('leaves users, API keys and group conversations alone', () => {
    expect(isVisitorConversation({ owner: 'user:1' })).toBe(false);
    expect(isVisitorConversation({ owner: 'key:3' })).toBe(false);
    expect(isVisitorConversation({ owner: null })).toBe(false);
    expect(isVisitorConversation({ owner: 'uservisitor:1' })).toBe(false);
  });
});
