import type { StateChange } from '@botwire/client';
import { describe, expect, it } from 'vitest';
import {
  describeCloseCode,
  describeDisconnect,
  describeStatus,
  describeStop,
  statusFromStateChange,
} from './connection-status.js';

const change = (partial: Partial<StateChange> & Pick<StateChange, 'current'>): StateChange => ({
  previous: 'connected',
  reason: 'opened',
  ...partial,
});

describe('connection status', () => {
  it('labels the three colours', () => {
    expect(describeStatus(statusFromStateChange(change({ current: 'connected' })))).toEqual({
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
        ),
      ),
    ).toEqual({ tone: 'amber', label: 'reconnecting (attempt 2 of 5)' });
    expect(
      describeStatus(
        statusFromStateChange(change({ current: 'closed', reason: 'retries-exhausted' })),
      ),
    ).toEqual({ tone: 'red', label: 'disconnected' });
  });

  it('counts attempts without a limit when the change does not say (the SDK retries by time)', () => {
    const status = statusFromStateChange(
      change({ current: 'reconnecting', reason: 'server-closed', attempt: 4 }),
    );
    expect(describeStatus(status).label).toBe('reconnecting (attempt 4)');
  });

  it('keeps why it gave up, except after a deliberate disconnect', () => {
    expect(
      statusFromStateChange(
        change({ current: 'closed', reason: 'retries-exhausted', attempt: 5, closeCode: 1006 }),
      ),
    ).toEqual({
      kind: 'disconnected',
      reason:
        'Could not reconnect after 5 attempts: the network connection dropped or the server could not be reached.',
    });
    expect(
      statusFromStateChange(change({ current: 'closed', reason: 'disconnect-called' })),
    ).toEqual({ kind: 'disconnected', reason: undefined });
  });
});

describe('reasons a person understands', () => {
  it('explains close codes in words', () => {
    expect(describeCloseCode(1001)).toBe('the server is restarting');
    expect(describeCloseCode(4001)).toContain('sign in again');
    expect(describeCloseCode(4004)).toBe('the pipeline no longer exists');
    expect(describeCloseCode(4999)).toBe('the connection closed (code 4999)');
  });

  it('words the disconnect toast by whether it retries', () => {
    expect(describeDisconnect({ code: 1001, reason: '', willReconnect: true })).toBe(
      'Connection lost: the server is restarting. Reconnecting…',
    );
    expect(describeDisconnect({ code: 4004, reason: '', willReconnect: false })).toBe(
      'Disconnected: the pipeline no longer exists.',
    );
  });

  it('prefers the server’s message for a final refusal', () => {
    expect(
      describeStop(change({ current: 'closed', reason: 'final-close-code', closeCode: 4004 })),
    ).toBe('The pipeline no longer exists.');
  });
});
