import { InvalidArgumentError } from 'commander';

/**
 * Parsers for option and argument values. Each throws commander's `InvalidArgumentError`, which
 * commander reports as a usage error (exit code 2) naming the option.
 */

/** A whole number in [min, max]. */
export function integerInRange(min: number, max: number): (value: string) => number {
  return (value) => {
    const trimmed = value.trim();
    if (!/^\d+$/.test(trimmed)) {
      throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}.`);
    }
    const number = Number(trimmed);
    if (!Number.isSafeInteger(number) || number < min || number > max) {
      throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}.`);
    }
    return number;
  };
}

/** The most connections and messages per connection `chat --multi` opens and sends. */
export const MULTI_LIMIT = 10_000;

export const parseConnectionCount = integerInRange(1, MULTI_LIMIT);
export const parseMessageCount = integerInRange(1, MULTI_LIMIT);
/** Milliseconds, from 1 ms to 1 hour. */
export const parseMilliseconds = integerInRange(1, 3_600_000);
/** A database id (API keys). */
export const parseId = integerInRange(1, Number.MAX_SAFE_INTEGER);

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `value` looks like a pipeline uuid. */
export function isUuid(value: string): boolean {
  return UUID_PATTERN.test(value);
}

/** `uuid,uuid,...`: at least one, each a uuid, duplicates dropped. */
export function parseUuidList(value: string): string[] {
  const uuids = value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
  if (uuids.length === 0) throw new InvalidArgumentError('expected one or more pipeline uuids.');
  const bad = uuids.find((uuid) => !isUuid(uuid));
  if (bad !== undefined) throw new InvalidArgumentError(`"${bad}" is not a pipeline uuid.`);
  return [...new Set(uuids.map((uuid) => uuid.toLowerCase()))];
}

const SESSION_KEY_PATTERN = /^[A-Za-z0-9._:-]{1,64}$/;

/** A named conversation: 1-64 characters of `A-Z a-z 0-9 . _ : -`. */
export function parseSessionKey(value: string): string {
  if (!SESSION_KEY_PATTERN.test(value)) {
    throw new InvalidArgumentError('expected 1-64 characters of A-Z a-z 0-9 . _ : -');
  }
  return value;
}

/**
 * A prefix for `--multi` session keys: `<prefix>-<i>` must stay a valid session key for every
 * i up to {@link MULTI_LIMIT}.
 */
export function parseSessionPrefix(value: string): string {
  const longestSuffix = `-${MULTI_LIMIT - 1}`.length;
  if (!SESSION_KEY_PATTERN.test(value) || value.length + longestSuffix > 64) {
    throw new InvalidArgumentError(
      `expected 1-${64 - longestSuffix} characters of A-Z a-z 0-9 . _ : -`,
    );
  }
  return value;
}

/** A non-blank text, trimmed. */
export function parseNonBlank(value: string): string {
  const trimmed = value.trim();
  if (trimmed === '') throw new InvalidArgumentError('expected a non-empty value.');
  return trimmed;
}

const DURATION_UNITS_MS: Readonly<Record<string, number>> = {
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
};
/** The longest a key may last: the server's limit (366 days). */
const MAX_KEY_LIFETIME_MS = 366 * 86_400_000;

/**
 * How long a new API key lasts: a whole number and a unit, `m` (minutes), `h`, `d` or `w`,
 * e.g. `90m`, `12h`, `30d`, `2w`; from 1 minute to 366 days. Returns milliseconds.
 */
export function parseKeyLifetime(value: string): number {
  const match = /^(\d+)\s*([mhdw])$/i.exec(value.trim());
  const unit = match?.[2]?.toLowerCase();
  const scale = unit === undefined ? undefined : DURATION_UNITS_MS[unit];
  if (match === null || scale === undefined) {
    throw new InvalidArgumentError(
      'expected a number and a unit: m (minutes), h (hours), d (days) or w (weeks), e.g. 30d.',
    );
  }
  const lifetime = Number(match[1]) * scale;
  if (lifetime < 60_000 || lifetime > MAX_KEY_LIFETIME_MS) {
    throw new InvalidArgumentError('expected from 1m to 366d (keys last at most a year).');
  }
  return lifetime;
}

const TIMESTAMP_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i;

/**
 * When a new API key stops working: an ISO-8601 time with a time zone, e.g.
 * `2027-01-31T00:00:00Z`. Whether it is in the future, and at most a year away, the server
 * checks by its own clock. Returns the time in UTC.
 */
export function parseExpiryTime(value: string): string {
  const trimmed = value.trim();
  const time = Date.parse(trimmed);
  if (!TIMESTAMP_WITH_ZONE.test(trimmed) || Number.isNaN(time)) {
    throw new InvalidArgumentError(
      'expected an ISO-8601 time with a time zone, e.g. 2027-01-31T00:00:00Z or 2027-01-31T08:00:00+08:00.',
    );
  }
  return new Date(time).toISOString();
}
