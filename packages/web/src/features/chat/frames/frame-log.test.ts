import type { WebSocketLike } from '@botwire/client';
import { describe, expect, it } from 'vitest';
import { describeFrame, FrameLog, tappedWebSocket } from './frame-log.js';

/** The smallest WebSocket the tap can wrap: it records what is sent and lets the test deliver. */
class RecordingSocket implements WebSocketLike {
  static last: RecordingSocket | undefined;
  readyState = 0;
  sent: string[] = [];
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  constructor(readonly url: string) {
    RecordingSocket.last = this;
  }
  send(data: string): void {
    this.sent.push(data);
  }
  close(): void {
    this.readyState = 3;
  }
}

describe('describeFrame', () => {
  it('reads type, seq, is_final and the UTF-8 size of a response frame', () => {
    const text = JSON.stringify({
      type: 'response',
      seq: 7,
      data: { is_final: true, content: 'é' },
    });
    const entry = describeFrame(1, 'in', text, 1_000);
    expect(entry).toMatchObject({ type: 'response', seq: 7, isFinal: true, time: 1_000 });
    expect(entry.size).toBe(new TextEncoder().encode(text).length);
    expect(entry.size).toBe(text.length + 1);
  });

  it('marks text that is not JSON and leaves is_final off other frames', () => {
    expect(describeFrame(1, 'in', 'nope', 0)).toMatchObject({ type: '(not JSON)', seq: undefined });
    expect(
      describeFrame(1, 'in', '{"type":"user_message","seq":1,"data":{"is_final":true}}', 0).isFinal,
    ).toBeUndefined();
  });
});

describe('FrameLog and tappedWebSocket', () => {
  it('records frames both ways and socket events, passing everything through', () => {
    let now = 0;
    const log = new FrameLog(10, () => (now += 1));
    const Tapped = tappedWebSocket(log, RecordingSocket);
    const socket = new Tapped('ws://host/connect?last_seq=4');
    const real = RecordingSocket.last as RecordingSocket;
    const received: unknown[] = [];
    socket.onmessage = (event) => received.push(event.data);
    real.onopen?.({});
    socket.send('{"type":"ping"}');
    real.onmessage?.({ data: '{"type":"pong","timestamp":"t"}' });
    real.onclose?.({ code: 1001, reason: 'restart' });

    expect(real.sent).toEqual(['{"type":"ping"}']);
    expect(received).toEqual(['{"type":"pong","timestamp":"t"}']);
    expect(log.snapshot.map((entry) => [entry.direction, entry.type, entry.text])).toEqual([
      ['open', 'open', 'ws://host/connect?last_seq=4'],
      ['out', 'ping', '{"type":"ping"}'],
      ['in', 'pong', '{"type":"pong","timestamp":"t"}'],
      ['close', 'close', '1001 restart'],
    ]);
  });

  it('stores nothing while paused but counts it, and keeps only the newest entries', () => {
    const log = new FrameLog(3);
    const seen: string[] = [];
    log.onFrame((entry) => seen.push(entry.type));
    log.setPaused(true);
    log.record('in', '{"type":"a"}');
    expect(log.snapshot).toHaveLength(0);
    expect(log.skipped).toBe(1);
    log.setPaused(false);
    for (const type of ['b', 'c', 'd', 'e']) log.record('in', JSON.stringify({ type }));
    expect(log.snapshot.map((entry) => entry.type)).toEqual(['c', 'd', 'e']);
    expect(seen).toEqual(['a', 'b', 'c', 'd', 'e']);
  });
});
