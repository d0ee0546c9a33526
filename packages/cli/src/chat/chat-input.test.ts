import { describe, expect, it } from 'vitest';
import { chatHelp, parseChatLine } from './chat-input.js';

const PIPELINE = 'e24f7ca1-8598-4f51-b333-18d4c3ff9838';
const person = { sessionType: 'person' as const, pipeline: PIPELINE };
const group = { sessionType: 'group' as const, pipeline: PIPELINE };

describe('parseChatLine', () => {
  it('reads the commands, case-insensitively', () => {
    expect(parseChatLine('/stop', person)).toEqual({ kind: 'command', command: 'stop' });
    expect(parseChatLine(' /RESET ', person)).toEqual({ kind: 'command', command: 'reset' });
    expect(parseChatLine('/quit', person)).toEqual({ kind: 'command', command: 'quit' });
    expect(parseChatLine('/exit', person)).toEqual({ kind: 'command', command: 'quit' });
    expect(parseChatLine('/help', person)).toEqual({ kind: 'command', command: 'help' });
    expect(parseChatLine('/history', person)).toEqual({ kind: 'command', command: 'history' });
    expect(parseChatLine('/history 50', person)).toEqual({
      kind: 'command',
      command: 'history',
      limit: 50,
    });
  });

  it('refuses a bad /history count', () => {
    expect(parseChatLine('/history 0', person).kind).toBe('invalid');
    expect(parseChatLine('/history 501', person).kind).toBe('invalid');
    expect(parseChatLine('/history lots', person).kind).toBe('invalid');
  });

  it('reads /image with a file, quoted or not, and /image clear', () => {
    expect(parseChatLine('/image ./cat.png', person)).toEqual({
      kind: 'command',
      command: 'image',
      file: './cat.png',
    });
    expect(parseChatLine('/image "my photos/cat 1.png"', person)).toMatchObject({
      file: 'my photos/cat 1.png',
    });
    expect(parseChatLine('/image clear', person)).toEqual({ kind: 'command', command: 'image' });
    expect(parseChatLine('/image', person)).toMatchObject({
      kind: 'invalid',
      message: expect.stringContaining('/image takes a file') as unknown,
    });
  });

  it('sends everything else as plain text, other /words included', () => {
    expect(parseChatLine('hello there', person)).toEqual({
      kind: 'message',
      chain: [{ type: 'Plain', text: 'hello there' }],
      text: 'hello there',
      mentionsBot: false,
    });
    expect(parseChatLine('/ask why', person).kind).toBe('message');
    expect(parseChatLine('windows line\r', person)).toMatchObject({ text: 'windows line' });
    expect(parseChatLine('   ', person)).toEqual({ kind: 'empty' });
  });

  it('turns @bot into a mention in group conversations only', () => {
    expect(parseChatLine('@bot hi there', group)).toEqual({
      kind: 'message',
      chain: [
        { type: 'At', target: PIPELINE, display: 'bot' },
        { type: 'Plain', text: ' hi there' },
      ],
      text: 'hi there',
      mentionsBot: true,
    });
    expect(parseChatLine('@bot hi', person)).toMatchObject({ mentionsBot: false, text: '@bot hi' });
    expect(parseChatLine('@botany is fun', group)).toMatchObject({ mentionsBot: false });
    expect(parseChatLine('hello', { ...group, mentionAlways: true })).toMatchObject({
      mentionsBot: true,
      text: 'hello',
    });
  });

  it('lists the commands in /help', () => {
    expect(chatHelp('person').join('\n')).toMatch(
      /\/stop[\s\S]*\/reset[\s\S]*\/history[\s\S]*\/quit/,
    );
    expect(chatHelp('group').join('\n')).toContain('@bot');
  });
});
