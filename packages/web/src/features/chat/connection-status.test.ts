import type { StateChange } from '@botwire/client';
import { describe, expect, it } from 'vitest';
import {
  describeCloseCode,
  describeDisconnect,
  describeStatus,
  describeStop,
  statusFromStateChange,
} from './connection-status.js';
import { createTranslator } from '../../i18n/translate.js';

const t = createTranslator('en');

const change = (partial: Partial<StateChange> & Pick<StateChange, 'current'>): StateChange => ({
  previous: 'connected',
  reason: 'opened',
  ...partial,
});

describe('connection status', () => {
  it('labels the three colours', () => {
    expect(describeStatus(statusFromStateChange(change({ current: 'connected' }), t), t)).toEqual({
      tone: 'green',
      label: 'connected',
    });
    expect(
      describeStatus(
        statusFromStateChange(
          change({
            current: 'reconnecting',
            reason: 'transport-error',
            attempt: 2,
            maxAttempts: 5,
          }),
          t,
        ),
        t,
      ),
    ).toEqual({ tone: 'amber', label: 'reconnecting (attempt 2 of 5)' });
    expect(
      describeStatus(
        statusFromStateChange(change({ current: 'closed', reason: 'retries-exhausted' }), t),
        t,
      ),
    ).toEqual({ tone: 'red', label: 'disconnected' });
  });

  it('counts attempts without a limit when the change does not say (the SDK retries by time)', () => {
    const status = statusFromStateChange(
      change({ current: 'reconnecting', reason: 'server-closed', attempt: 4 }),
      t,
    );
    expect(describeStatus(status, t).label).toBe('reconnecting (attempt 4)');
  });

  it('keeps why it gave up, except after a deliberate disconnect', () => {
    expect(
      statusFromStateChange(
        change({ current: 'closed', reason: 'retries-exhausted', attempt: 5, closeCode: 1006 }),
        t,
      ),
    ).toEqual({
      kind: 'disconnected',
      reason:
        'Could not reconnect after 5 attempts: the network connection dropped or the server could not be reached.',
    });
    expect(
      statusFromStateChange(change({ current: 'closed', reason: 'disconnect-called' }), t),
    ).toEqual({ kind: 'disconnected', reason: undefined });
  });
});

describe('reasons a person understands', () => {
  it('explains close codes in words', () => {
    expect(describeCloseCode(1001, t)).toBe('the server is restarting');
    expect(describeCloseCode(4001, t)).toContain('sign in again');
    expect(describeCloseCode(4004, t)).toBe('the pipeline no longer exists');
    expect(describeCloseCode(4999, t)).toBe('the connection closed (code 4999)');
  });

  it('words the disconnect toast by whether it retries', () => {
    expect(describeDisconnect({ code: 1001, reason: '', willReconnect: true }, t)).toBe(
      'Connection lost: the server is restarting. Reconnecting…',
    );
    expect(describeDisconnect({ code: 4004, reason: '', willReconnect: false }, t)).toBe(
      'Disconnected: the pipeline no longer exists.',
    );
  });

  it('prefers the server’s message for a final refusal', () => {
    expect(
      describeStop(change({ current: 'closed', reason: 'final-close-code', closeCode: 4004 }), t),
    ).toBe('The pipeline no longer exists.');
  });

  it('words them in Chinese too', () => {
    const chinese = createTranslator('zh-CN');
    expect(describeCloseCode(1001, chinese)).toBe('服务器正在重启');
    expect(describeDisconnect({ code: 1001, reason: '', willReconnect: true }, chinese)).toBe(
      '连接中断：服务器正在重启。正在重新连接…',
    );
  });
});
