import { describe, expect, it } from 'vitest';
import { expectReply, type GroupTriggers } from './reply-expectation.js';

const defaults: GroupTriggers = { mention: true, prefixes: [], probability: 0 };
const plain = (text: string) => ({ text, mentionsBot: false });
const mention = (text: string) => ({ text, mentionsBot: true });

describe('expectReply', () => {
  it('always expects a reply in a person conversation', () => {
    expect(expectReply('person', undefined, plain('hi'))).toBe('yes');
  });

  it('follows the group trigger rules', () => {
    expect(expectReply('group', defaults, plain('hi'))).toBe('no');
    expect(expectReply('group', defaults, mention('hi'))).toBe('yes');
    expect(expectReply('group', { ...defaults, mention: false }, mention('hi'))).toBe('no');
    expect(expectReply('group', { ...defaults, prefixes: ['/ask'] }, plain('  /ask x'))).toBe(
      'yes',
    );
    expect(expectReply('group', { ...defaults, prefixes: ['/ask'] }, plain('ask x'))).toBe('no');
    expect(expectReply('group', { ...defaults, probability: 1 }, plain('hi'))).toBe('yes');
    expect(expectReply('group', { ...defaults, probability: 0.3 }, plain('hi'))).toBe('maybe');
    expect(
      expectReply('group', { mention: false, prefixes: ['@'], probability: 0 }, mention('hi')),
    ).toBe('maybe');
  });

  it('is unsure without the rules', () => {
    expect(expectReply('group', undefined, plain('hi'))).toBe('maybe');
  });
});
