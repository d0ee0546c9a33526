import { describe, expect, it } from 'vitest';
import { DEFAULT_URL, resolveCredentials } from './credentials.js';
import { UsageError } from './exit-codes.js';

describe('resolveCredentials', () => {
  it('prefers flags, then the environment, then the default', () => {
    expect(resolveCredentials({}, {})).toEqual({ url: DEFAULT_URL, apiKey: undefined });
    expect(
      resolveCredentials({}, { BOTWIRE_URL: 'https://chat.example.com/', BOTWIRE_API_KEY: 'env' }),
    ).toEqual({ url: 'https://chat.example.com', apiKey: 'env' });
    expect(
      resolveCredentials(
        { url: 'http://127.0.0.1:9000', apiKey: 'flag' },
        { BOTWIRE_URL: 'https://chat.example.com', BOTWIRE_API_KEY: 'env' },
      ),
    ).toEqual({ url: 'http://127.0.0.1:9000', apiKey: 'flag' });
  });

  it('keeps a path prefix and ignores empty values', () => {
    expect(
      resolveCredentials({ url: 'https://x.example/botwire/' }, { BOTWIRE_API_KEY: ' ' }),
    ).toEqual({ url: 'https://x.example/botwire', apiKey: undefined });
  });

  it('refuses URLs that are not http(s) as usage errors', () => {
    expect(() => resolveCredentials({ url: 'ws://127.0.0.1:8000' }, {})).toThrow(UsageError);
    expect(() => resolveCredentials({ url: 'localhost:8000' }, {})).toThrow(UsageError);
    expect(() => resolveCredentials({}, { BOTWIRE_URL: 'not a url' })).toThrow(/--url must be/);
  });
});
