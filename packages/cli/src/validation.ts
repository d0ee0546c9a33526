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
