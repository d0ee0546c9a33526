import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** Current cost parameters; stored in every hash so they can be raised without breaking old ones. */
const COST = { N: 16_384, r: 8, p: 1 } as const;
const SALT_BYTES = 16;
const KEY_BYTES = 32;

/**
 * Upper bounds for parameters read back from a stored hash. A tampered or corrupt row must not be
 * able to make one verification allocate gigabytes or spin for minutes.
 */
const LIMITS = { maxN: 1_048_576, maxR: 32, maxP: 16, minKeyBytes: 16, maxKeyBytes: 64 } as const;

function deriveKey(
  password: string,
  salt: Buffer,
  keyLength: number,
  options: ScryptOptions,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, keyLength, options, (error, key) => {
      if (error) reject(error);
      else resolve(key);
    });
  });
}

/** scrypt needs about 128·N·r bytes; Node's 32 MiB default would reject higher stored costs. */
function memoryFor(N: number, r: number): number {
  return 256 * N * r;
}

/**
 * Hashes a password with scrypt and a random salt. The result is self-describing,
 * `scrypt$N$r$p$saltBase64$keyBase64`, so {@link verifyPassword} needs nothing else.
 */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await deriveKey(password, salt, KEY_BYTES, {
    ...COST,
    maxmem: memoryFor(COST.N, COST.r),
  });
  return ['scrypt', COST.N, COST.r, COST.p, salt.toString('base64'), key.toString('base64')].join(
    '$',
  );
}

interface ParsedHash {
  N: number;
  r: number;
  p: number;
  salt: Buffer;
  key: Buffer;
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

function parsePositiveInteger(text: string | undefined, max: number): number | undefined {
  if (text === undefined || !/^[1-9][0-9]{0,9}$/.test(text)) return undefined;
  const value = Number(text);
  return value <= max ? value : undefined;
}

function parseHash(hash: string): ParsedHash | undefined {
  const parts = hash.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return undefined;
  const [, nText, rText, pText, saltText, keyText] = parts;
  const N = parsePositiveInteger(nText, LIMITS.maxN);
  const r = parsePositiveInteger(rText, LIMITS.maxR);
  const p = parsePositiveInteger(pText, LIMITS.maxP);
  // scrypt requires N to be a power of two greater than 1.
  if (N === undefined || N < 2 || (N & (N - 1)) !== 0 || r === undefined || p === undefined) {
    return undefined;
  }
  if (!saltText || !keyText || !BASE64.test(saltText) || !BASE64.test(keyText)) return undefined;
  const salt = Buffer.from(saltText, 'base64');
  const key = Buffer.from(keyText, 'base64');
  if (salt.length === 0 || key.length < LIMITS.minKeyBytes || key.length > LIMITS.maxKeyBytes) {
    return undefined;
  }
  return { N, r, p, salt, key };
}

/**
 * Whether `password` matches a hash made by {@link hashPassword}. Never throws: a malformed or
 * unsupported hash simply does not match, so a corrupt row cannot crash a login.
 */
export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  if (typeof password !== 'string' || typeof hash !== 'string') return false;
  const parsed = parseHash(hash);
  if (!parsed) return false;
  try {
    const { N, r, p, salt, key } = parsed;
    const candidate = await deriveKey(password, salt, key.length, {
      N,
      r,
      p,
      maxmem: memoryFor(N, r),
    });
    return timingSafeEqual(candidate, key);
  } catch {
    return false;
  }
}
