import { DEFAULT_WIDGET_LIMITS, type WidgetLimits } from '@botwire/protocol';
import { describe, expect, it } from 'vitest';
import { BotwireError } from '../errors/botwire-error.js';
import { MinuteWindows, VisitorLimiter } from './visitor-limiter.js';

const LIMITS: WidgetLimits = {
  ...DEFAULT_WIDGET_LIMITS,
  messages_per_minute_per_visitor: 2,
  messages_per_minute_per_ip: 3,
  new_visitors_per_minute_per_ip: 1,
};

function refusal(action: () => void): BotwireError {
  try {
    action();
  } catch (error) {
    if (error instanceof BotwireError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('MinuteWindows', () => {
  it('counts up to the limit per key and reports the seconds left in the window', () => {
    const clock = { now: 1_000_000 };
    const windows = new MinuteWindows(() => clock.now);
    expect(windows.take('a', 2)).toEqual({ ok: true });
    expect(windows.take('a', 2)).toEqual({ ok: true });
    expect(windows.take('b', 2)).toEqual({ ok: true });
    clock.now += 15_500;
    expect(windows.take('a', 2)).toEqual({ ok: false, retryAfterSeconds: 45 });
    clock.now += 44_500;
    expect(windows.take('a', 2)).toEqual({ ok: true });
  });

  it('gives back a counted event', () => {
    const windows = new MinuteWindows(() => 0);
    windows.take('a', 1);
    windows.giveBack('a');
    expect(windows.take('a', 1)).toEqual({ ok: true });
  });
});

describe('VisitorLimiter', () => {
  it('limits messages per visitor, with Retry-After', () => {
    const clock = { now: 0 };
    const limiter = new VisitorLimiter({ now: () => clock.now });
    const message = {
      pipelineUuid: 'p',
      visitorId: 'v1',
      remoteAddress: '10.0.0.1',
      limits: LIMITS,
    };
    limiter.admitMessage(message);
    limiter.admitMessage(message);
    const error = refusal(() => limiter.admitMessage(message));
    expect(error.code).toBe('VISITOR_RATE_LIMITED');
    expect(error.retryAfterSeconds).toBe(60);
    expect(error.message).toContain('2 messages per minute');
    // Another pipeline's limits are its own.
    limiter.admitMessage({ ...message, pipelineUuid: 'q' });
    clock.now = 60_000;
    limiter.admitMessage(message);
  });

  it('limits messages per address across visitors, without charging the refused visitor', () => {
    const limiter = new VisitorLimiter({ now: () => 0 });
    const from = (visitorId: string) => ({
      pipelineUuid: 'p',
      visitorId,
      remoteAddress: '10.0.0.1',
      limits: LIMITS,
    });
    limiter.admitMessage(from('v1'));
    limiter.admitMessage(from('v2'));
    limiter.admitMessage(from('v3'));
    const error = refusal(() => limiter.admitMessage(from('v4')));
    expect(error.code).toBe('VISITOR_RATE_LIMITED');
    expect(error.message).toContain('network address');
    // v4 was refused by the address limit; from another address it still has both messages.
    const elsewhere = { ...from('v4'), remoteAddress: '10.0.0.2' };
    limiter.admitMessage(elsewhere);
    limiter.admitMessage(elsewhere);
  });

  it('limits new visitors per address', () => {
    const limiter = new VisitorLimiter({ now: () => 0 });
    const request = { pipelineUuid: 'p', remoteAddress: '10.0.0.1', limits: LIMITS };
    limiter.admitNewVisitor(request);
    expect(refusal(() => limiter.admitNewVisitor(request)).retryAfterSeconds).toBe(60);
    limiter.admitNewVisitor({ ...request, remoteAddress: '10.0.0.2' });
  });

  it('limits image uploads per visitor, apart from its messages', () => {
    const clock = { now: 0 };
    const limiter = new VisitorLimiter({ now: () => clock.now });
    const upload = {
      pipelineUuid: 'p',
      visitorId: 'v1',
      limits: { ...LIMITS, image_uploads_per_minute_per_visitor: 1 },
    };
    limiter.admitImageUpload(upload);
    clock.now = 20_000;
    const error = refusal(() => limiter.admitImageUpload(upload));
    expect(error.code).toBe('VISITOR_RATE_LIMITED');
    expect(error.retryAfterSeconds).toBe(40);
    expect(error.message).toContain('1 images per minute');
    limiter.admitImageUpload({ ...upload, visitorId: 'v2' });
    limiter.admitMessage({ ...upload, remoteAddress: '10.0.0.1' });
    clock.now = 60_000;
    limiter.admitImageUpload(upload);
  });
});
