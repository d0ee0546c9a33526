import { createRequire } from 'node:module';
import type { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { encodeTextFrames } from './websocket-text-frames.js';

/** ws's frame parser, which its type definitions do not declare. */
type FrameReceiver = Writable & {
  on(event: 'message', listener: (data: Buffer, isBinary: boolean) => void): FrameReceiver;
  on(event: 'error', listener: (error: Error) => void): FrameReceiver;
};
const { Receiver } = createRequire(import.meta.url)('ws') as {
  Receiver: new (options: { isServer: boolean }) => FrameReceiver;
};

/** Decodes frames the way a client does, with ws's own receiver. */
function decode(buffer: Buffer): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const messages: string[] = [];
    const receiver = new Receiver({ isServer: false });
    receiver.on('message', (data: Buffer, isBinary: boolean) => {
      expect(isBinary).toBe(false);
      messages.push(data.toString('utf8'));
    });
    receiver.on('error', reject);
    receiver.write(buffer, () => resolve(messages));
  });
}

describe('encodeTextFrames', () => {
  it('encodes each text as its own frame, at every length boundary', async () => {
    const texts = [
      '',
      'a'.repeat(125),
      'b'.repeat(126),
      'c'.repeat(65_535),
      'd'.repeat(65_536),
      '{"delta":"ü€😀\\n"}',
    ];
    expect(await decode(encodeTextFrames(texts))).toEqual(texts);
  });

  it('uses the shortest header for each length', () => {
    expect(encodeTextFrames(['x'.repeat(125)]).length).toBe(2 + 125);
    expect(encodeTextFrames(['x'.repeat(126)]).length).toBe(4 + 126);
    expect(encodeTextFrames(['x'.repeat(65_536)]).length).toBe(10 + 65_536);
    expect(encodeTextFrames(['€']).length).toBe(2 + 3);
  });
});
