import { createHash, randomBytes, randomInt } from 'node:crypto';

/** Prefixes of the tokens Botwire issues; they tell apart API keys and sessions at a glance. */
export type TokenPrefix = 'bw_key' | 'bw_session';

const TOKEN_BYTES = 32;
/** 32 bytes in unpadded base64url. */
const TOKEN_BODY_LENGTH = 43;

/** Matches a token made by {@link generateToken} with this prefix. */
export function isTokenOf(prefix: TokenPrefix, token: string): boolean {
  return (
    token.length === prefix.length + 1 + TOKEN_BODY_LENGTH &&
    token.startsWith(`${prefix}_`) &&
    /^[A-Za-z0-9_-]+$/.test(token.slice(prefix.length + 1))
  );
}

/** A new secret, `<prefix>_<43 base64url characters>` carrying 256 random bits. */
export function generateToken(prefix: TokenPrefix): string {
  return `${prefix}_${randomBytes(TOKEN_BYTES).toString('base64url')}`;
}

/**
 * The form in which a token is stored and looked up. A plain SHA-256 is enough: these tokens are
 * 256-bit random, so unlike passwords they cannot be guessed, and lookups stay fast.
 */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** No 0/o, 1/l/i: easy to read aloud and retype. 31 symbols, almost 5 bits each. */
const PASSWORD_ALPHABET = '23456789abcdefghjkmnpqrstuvwxyz';
const PASSWORD_GROUPS = 4;
const PASSWORD_GROUP_LENGTH = 6;

/**
 * A random password meant to be printed once and typed by a person: four dash-separated groups of
 * six unambiguous characters (27 characters, about 119 bits).
 */
export function generatePassword(): string {
  const groups: string[] = [];
  for (let group = 0; group < PASSWORD_GROUPS; group += 1) {
    let text = '';
    for (let index = 0; index < PASSWORD_GROUP_LENGTH; index += 1) {
      text += PASSWORD_ALPHABET[randomInt(PASSWORD_ALPHABET.length)] ?? '';
    }
    groups.push(text);
  }
  return groups.join('-');
}
