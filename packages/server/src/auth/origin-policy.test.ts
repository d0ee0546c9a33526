import { describe, expect, it } from 'vitest';
import { isOriginAllowed } from './origin-policy.js';

const allowedOrigins = ['https://chat.example.com', 'http://localhost:5173/'];

describe('isOriginAllowed', () => {
  it.each<[string | undefined, string | undefined, boolean]>([
    // Non-browser clients send no Origin.
    [undefined, 'botwire.local:8000', true],
    [undefined, undefined, true],
    // Same origin, whatever the scheme (TLS may end at a proxy).
    ['http://botwire.local:8000', 'botwire.local:8000', true],
    ['https://botwire.local:8000', 'botwire.local:8000', true],
    ['https://BOTWIRE.local', 'botwire.local', true],
    ['https://botwire.local', 'botwire.local:443', true],
    ['http://botwire.local', 'botwire.local:80', true],
    ['http://[::1]:8000', '[::1]:8000', true],
    ['http://127.0.0.1:8000', '127.0.0.1:8000', true],
    // Same host, other port: another site as far as browsers are concerned.
    ['http://botwire.local:3000', 'botwire.local:8000', false],
    ['http://botwire.local:8000', 'botwire.local', false],
    ['http://botwire.local', 'botwire.local:8000', false],
    ['https://botwire.local', 'botwire.local:80', false],
    ['http://evil.example', 'botwire.local:8000', false],
    ['http://botwire.local.evil.example', 'botwire.local', false],
    ['http://botwire.local:8000', undefined, false],
    ['http://botwire.local:8000', 'botwire.local:8000/path', false],
    ['http://botwire.local:8000', 'user@botwire.local:8000', false],
    // The allow-list, compared as normalized origins.
    ['https://chat.example.com', 'botwire.local:8000', true],
    ['https://chat.example.com:443', 'botwire.local:8000', true],
    ['https://CHAT.example.com', 'botwire.local:8000', true],
    ['http://localhost:5173', 'botwire.local:8000', true],
    ['http://chat.example.com', 'botwire.local:8000', false],
    ['https://chat.example.com:8443', 'botwire.local:8000', false],
    ['http://localhost:5174', 'botwire.local:8000', false],
    // Opaque and malformed origins.
    ['null', 'botwire.local:8000', false],
    ['', 'botwire.local:8000', false],
    ['not a url', 'botwire.local:8000', false],
    ['file://', 'botwire.local:8000', false],
    ['chrome-extension://abc', 'abc', false],
  ])('origin %s with host %s → %s', (origin, host, expected) => {
    expect(isOriginAllowed({ origin, host, allowedOrigins })).toBe(expected);
  });

  it('never matches opaque origins through the allow-list', () => {
    expect(isOriginAllowed({ origin: 'app://one', host: 'h', allowedOrigins: ['app://two'] })).toBe(
      false,
    );
  });
});
