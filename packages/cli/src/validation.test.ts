import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import {
  integerInRange,
  parseConnectionCount,
  parseId,
  parseMessageCount,
  parseNonBlank,
  parseSessionKey,
  parseSessionPrefix,
  parseUuidList,
  parseExpiryTime,
  parseKeyLifetime,
} from './validation.js';

const UUID_A = 'e24f7ca1-8598-4f51-b333-18d4c3ff9838';
const UUID_B = '84b41781-78ee-4cc7-ae4f-41033af52327';

describe('integerInRange', () => {
  it('accepts whole numbers in range', () => {
    expect(integerInRange(1, 10)('1')).toBe(1);
    expect(integerInRange(1, 10)(' 10 ')).toBe(10);
    expect(integerInRange(0, 65_535)('0')).toBe(0);
  });

  it.each(['0', '11', '-1', '1.5', '1e3', 'abc', '', '99999999999999999999'])(
    'refuses %j as a usage error',
    (value) => {
      expect(() => integerInRange(1, 10)(value)).toThrow(InvalidArgumentError);
    },
  );

  it('bounds --multi and --messages at 10000', () => {
    expect(parseConnectionCount('10000')).toBe(10_000);
    expect(() => parseConnectionCount('10001')).toThrow('from 1 to 10000');
    expect(parseMessageCount('1')).toBe(1);
    expect(() => parseMessageCount('0')).toThrow(InvalidArgumentError);
    expect(parseId('42')).toBe(42);
  });
});

describe('parseUuidList', () => {
  it('splits, trims, lower-cases and de-duplicates', () => {
    expect(parseUuidList(`${UUID_A}, ${UUID_B.toUpperCase()},${UUID_A}`)).toEqual([UUID_A, UUID_B]);
  });

  it('refuses an empty list or a non-uuid', () => {
    expect(() => parseUuidList(' , ')).toThrow(InvalidArgumentError);
    expect(() => parseUuidList(`${UUID_A},nope`)).toThrow('"nope" is not a pipeline uuid');
  });
});

describe('session keys', () => {
  it('accepts the server pattern only', () => {
    expect(parseSessionKey('team.chat:1_a-b')).toBe('team.chat:1_a-b');
    expect(() => parseSessionKey('has space')).toThrow(InvalidArgumentError);
    expect(() => parseSessionKey('x'.repeat(65))).toThrow(InvalidArgumentError);
  });

  it('keeps room for -<i> in a --multi prefix', () => {
    expect(parseSessionPrefix('x'.repeat(59))).toHaveLength(59);
    expect(() => parseSessionPrefix('x'.repeat(60))).toThrow('1-59 characters');
  });
});

describe('parseNonBlank', () => {
  it('trims and refuses blanks', () => {
    expect(parseNonBlank('  name ')).toBe('name');
    expect(() => parseNonBlank('   ')).toThrow(InvalidArgumentError);
  });
});

describe('key expiry options', () => {
  it('reads --expires-in as a number and a unit, 1m to 366d', () => {
    expect(parseKeyLifetime('90m')).toBe(90 * 60_000);
    expect(parseKeyLifetime(' 12h ')).toBe(12 * 3_600_000);
    expect(parseKeyLifetime('30D')).toBe(30 * 86_400_000);
    expect(parseKeyLifetime('2w')).toBe(14 * 86_400_000);
    expect(parseKeyLifetime('366d')).toBe(366 * 86_400_000);
  });

  it.each(['30', 'd', '1.5d', '-1d', '30s', 'thirty days', ''])(
    'refuses --expires-in %j with the units to use',
    (value) => {
      expect(() => parseKeyLifetime(value)).toThrow('e.g. 30d');
    },
  );

  it('refuses lifetimes under a minute or over 366 days', () => {
    expect(() => parseKeyLifetime('0m')).toThrow('from 1m to 366d');
    expect(() => parseKeyLifetime('367d')).toThrow('from 1m to 366d');
    expect(() => parseKeyLifetime('53w')).toThrow('from 1m to 366d');
  });

  it('reads --expires-at as an ISO time with a time zone, in UTC', () => {
    expect(parseExpiryTime('2027-01-31T08:00:00+08:00')).toBe('2027-01-31T00:00:00.000Z');
    expect(parseExpiryTime('2027-01-31T00:00Z')).toBe('2027-01-31T00:00:00.000Z');
    for (const value of ['2027-01-31', '2027-01-31T00:00:00', 'tomorrow', '2027-13-45T00:00:00Z']) {
      expect(() => parseExpiryTime(value)).toThrow('with a time zone');
    }
  });
});
