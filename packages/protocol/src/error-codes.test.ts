import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CLOSE_CODES, isRetryableCloseCode } from './close-codes.js';
import { ERROR_CATALOGUE, ERROR_CODES } from './error-codes.js';

/** docs/errors.md, read relative to this file so the test works from any working directory. */
const errorsDoc = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8');

/** The `### CODE` headings of docs/errors.md. */
const documentedCodes = new Set<string>(
  [...errorsDoc.matchAll(/^###[ \t]+`?([A-Z0-9_]+)`?[ \t]*$/gm)].flatMap((match) =>
    match[1] === undefined ? [] : [match[1]],
  ),
);

describe('docs/errors.md', () => {
  it.each(ERROR_CODES)('has a "### %s" heading', (code) => {
    expect(documentedCodes.has(code), `docs/errors.md lacks a "### ${code}" heading`).toBe(true);
  });

  it('documents no code that the catalogue does not have', () => {
    const known: readonly string[] = ERROR_CODES;
    expect([...documentedCodes].filter((code) => !known.includes(code))).toEqual([]);
  });

  it.each(Object.entries(CLOSE_CODES))('lists close code %s (%i)', (_name, code) => {
    expect(errorsDoc, `docs/errors.md does not mention close code ${code}`).toContain(
      `\`${code}\``,
    );
  });
});

describe('ERROR_CATALOGUE', () => {
  const entries = Object.entries(ERROR_CATALOGUE);

  it('gives every code a unique negative number', () => {
    const numbers = entries.map(([, entry]) => entry.number);
    expect(new Set(numbers).size).toBe(numbers.length);
    for (const [code, entry] of entries) {
      expect(Number.isInteger(entry.number), code).toBe(true);
      expect(entry.number, code).toBeLessThan(0);
    }
  });

  it('uses only 4xx and 5xx HTTP statuses', () => {
    for (const [code, entry] of entries) {
      expect(entry.status, code).toBeGreaterThanOrEqual(400);
      expect(entry.status, code).toBeLessThan(600);
    }
  });

  it('has a message for every code', () => {
    for (const [code, entry] of entries) expect(entry.message.length, code).toBeGreaterThan(0);
  });
});

describe('isRetryableCloseCode', () => {
  const final = new Set([1000, 4000, 4001, 4003, 4004]);

  it.each(Object.entries(CLOSE_CODES))('is right for %s (%i)', (_name, code) => {
    expect(isRetryableCloseCode(code)).toBe(!final.has(code));
  });

  it('is false exactly for 1000, 4000, 4001, 4003 and 4004', () => {
    const refused = [1000, 1001, 1005, 1006, 1009, 1011, 4000, 4001, 4003, 4004, 4008, 4009, 4029]
      .filter((code) => !isRetryableCloseCode(code))
      .sort((a, b) => a - b);
    expect(refused).toEqual([1000, 4000, 4001, 4003, 4004]);
  });

  it('lets a client retry after codes it does not know, such as 1006 (no close frame)', () => {
    expect(isRetryableCloseCode(1006)).toBe(true);
    expect(isRetryableCloseCode(4999)).toBe(true);
  });
});
