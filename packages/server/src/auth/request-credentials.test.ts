import { describe, expect, it } from 'vitest';
import { SESSION_COOKIE_NAME, extractToken, readCookie } from './request-credentials.js';

const cookieName = SESSION_COOKIE_NAME;

describe('extractToken', () => {
  it.each([
    [{ authorization: 'Bearer abc' }, 'abc'],
    [{ authorization: 'bearer abc' }, 'abc'],
    [{ authorization: 'BEARER   abc  ' }, 'abc'],
    [{ authorization: 'Bearer abc', cookie: 'botwire_session=fromcookie' }, 'abc'],
    [{ authorization: 'Basic dXNlcjpwYXNz', cookie: 'botwire_session=fromcookie' }, 'fromcookie'],
    [{ authorization: 'Bearer ', cookie: 'botwire_session=fromcookie' }, 'fromcookie'],
    [{ authorization: 'Bearer a b' }, undefined],
    [{ authorization: 'Bearerabc' }, undefined],
    [{ cookie: 'botwire_session=tok' }, 'tok'],
    [{ cookie: 'theme=dark; botwire_session=tok; other=1' }, 'tok'],
    [{ cookie: 'theme=dark;botwire_session=tok' }, 'tok'],
    [{ cookie: '  botwire_session = tok ;' }, 'tok'],
    [{ cookie: 'botwire_session="tok"' }, 'tok'],
    [{ cookie: 'botwire_session=a%2Bb' }, 'a+b'],
    [{ cookie: 'botwire_session=%E0%A4%A' }, '%E0%A4%A'],
    [{ cookie: 'x_botwire_session=no; botwire_sessionx=no' }, undefined],
    [{ cookie: 'botwire_session=; botwire_session=second' }, 'second'],
    [{ cookie: 'junk; =; ;;botwire_session=tok=with=equals' }, 'tok=with=equals'],
    [{ cookie: '' }, undefined],
    [{}, undefined],
  ])('%j gives %s', (headers, expected) => {
    expect(extractToken({ ...headers, cookieName })).toBe(expected);
  });

  it('reads any named cookie', () => {
    expect(readCookie('a=1; b=2', 'b')).toBe('2');
    expect(readCookie('a=1; b=2', 'c')).toBeUndefined();
  });
});
