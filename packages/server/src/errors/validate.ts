import { describeIssues } from '@botwire/protocol';
import type { z } from 'zod';
import { BotwireError } from './botwire-error.js';

/** Parses `value` with `schema`, or throws `VALIDATION_FAILED` naming each offending field. */
export function validate<TSchema extends z.ZodType>(
  schema: TSchema,
  value: unknown,
  what: string,
): z.infer<TSchema> {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new BotwireError(
      'VALIDATION_FAILED',
      `Invalid ${what}: ${describeIssues(result.error)}.`,
    );
  }
  return result.data;
}
