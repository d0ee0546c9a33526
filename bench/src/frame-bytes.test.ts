import { describe, expect, it } from 'vitest';
import { webSocketFrameBytes } from './frame-bytes.js';

describe('webSocketFrameBytes', () => {
  it('adds the header for each length class', () => {
    expect(webSocketFrameBytes(0)).toBe(2);
    expect(webSocketFrameBytes(125)).toBe(127);
    expect(webSocketFrameBytes(126)).toBe(130);
    expect(webSocketFrameBytes(65_535)).toBe(65_539);
    expect(webSocketFrameBytes(65_536)).toBe(65_546);
  });
});
