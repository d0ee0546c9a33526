import type { Localizer } from '../../i18n/localizer.js';
import { isModelRunnerType } from './pipeline-types.js';
import {
  modelRunnerValues,
  parsePrefixes,
  type PipelineFormValues,
} from './pipeline-form-state.js';

/**
 * Validation of the pipeline editor, at the field: the same limits as the server's schemas
 * (docs/pipelines.md), checked before sending so the user gets a plain message under the
 * field, and the server's own `VALIDATION_FAILED` messages mapped back to the field they name.
 */

/**
 * The fields that can carry an error, named by their path in the API body, so a server message
 * such as `model_parameters.temperature: Too big...` finds its field without a translation table.
 * Listed in the order the editor shows them: the first invalid one gets the focus.
 */
export const FIELD_ORDER = [
  'name',
  'description',
  'runner.type',
  'runner.settings.delay_ms',
  'runner.settings.chunks',
  'runner.settings.chunk_bytes',
  'runner.settings.interval_ms',
  'runner.settings.base_url',
  'runner.settings.model',
  'runner.settings.api_key',
  'runner.settings.timeout_ms',
  'runner.settings.vision',
  'system_prompt',
  'model_parameters.temperature',
  'model_parameters.max_output_tokens',
  'memory.turns',
  'group_triggers.mention',
  'group_triggers.prefixes',
  'group_triggers.probability',
  'output.streaming',
  'output.coalesce_ms',
  'output.mention_sender_in_group',
  'images.allow_urls',
] as const;

/** A field of the pipeline editor, by its path in the API body. */
export type FieldName = (typeof FIELD_ORDER)[number];

/** Error messages by field; a field without an entry is fine. */
export type FieldErrors = Partial<Record<FieldName, string>>;

/** The DOM id of a field's control, e.g. `pipeline-model-parameters-temperature`. */
export function fieldId(field: FieldName): string {
  return `pipeline-${field.replace(/[._]/g, '-')}`;
}

/** The first invalid field in the order the editor shows them, to move the focus to. */
export function firstInvalidField(errors: FieldErrors): FieldName | undefined {
  return FIELD_ORDER.find((field) => errors[field] !== undefined);
}

interface NumberRule {
  min: number;
  max: number;
  /** Whole numbers only (the server's `int()`). */
  integer: boolean;
  /** Whether an empty field is allowed (it then means "the default"). */
  optional?: boolean;
}

/** The message for a number field's text, or undefined when the text is a valid number. */
export function numberErrorIn(
  text: string,
  rule: NumberRule,
  { t, format }: Localizer,
): string | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return rule.optional === true ? undefined : t('validation.number');
  const value = Number(trimmed);
  if (!Number.isFinite(value)) return t('validation.number');
  if (rule.integer && !Number.isInteger(value)) return t('validation.wholeNumber');
  if (value < rule.min || value > rule.max) {
    return t('validation.range', { min: format.number(rule.min), max: format.number(rule.max) });
  }
  return undefined;
}

function lengthErrorIn(text: string, max: number, { t, format }: Localizer): string | undefined {
  return text.length > max
    ? t('validation.tooLong', { max: format.number(max), length: format.number(text.length) })
    : undefined;
}

/** Whether the text is an absolute http(s) URL, as the server requires of `base_url`. */
function isHttpUrl(text: string): boolean {
  if (!/^https?:\/\//i.test(text)) return false;
  try {
    new URL(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * Checks every field the current runner type uses; returns the message of each invalid one, in
 * the language of `localizer`.
 */
export function validatePipelineForm(
  values: PipelineFormValues,
  localizer: Localizer,
): FieldErrors {
  const { t } = localizer;
  const numberError = (text: string, rule: NumberRule): string | undefined =>
    numberErrorIn(text, rule, localizer);
  const lengthError = (text: string, max: number): string | undefined =>
    lengthErrorIn(text, max, localizer);
  const errors: FieldErrors = {};
  const set = (field: FieldName, message: string | undefined): void => {
    if (message !== undefined) errors[field] = message;
  };

  const name = values.name.trim();
  set('name', name === '' ? t('validation.name') : lengthError(name, 100));
  set('description', lengthError(values.description, 2_000));

  const type = values.runnerType;
  if (type === 'echo') {
    set(
      'runner.settings.delay_ms',
      numberError(values.echo.delayMs, { min: 0, max: 10_000, integer: true }),
    );
  } else if (type === 'bench') {
    set(
      'runner.settings.chunks',
      numberError(values.bench.chunks, { min: 1, max: 100_000, integer: true }),
    );
    set(
      'runner.settings.chunk_bytes',
      numberError(values.bench.chunkBytes, { min: 1, max: 65_536, integer: true }),
    );
    set(
      'runner.settings.interval_ms',
      numberError(values.bench.intervalMs, { min: 0, max: 60_000, integer: true }),
    );
  } else if (isModelRunnerType(type)) {
    const settings = modelRunnerValues(values, type);
    const baseUrl = settings.baseUrl.trim();
    if (baseUrl !== '' && !isHttpUrl(baseUrl)) {
      set('runner.settings.base_url', t('validation.baseUrl'));
    }
    const model = settings.model.trim();
    set('runner.settings.model', model === '' ? t('validation.model') : lengthError(model, 200));
    set('runner.settings.api_key', lengthError(settings.apiKey.trim(), 1_000));
    set(
      'runner.settings.timeout_ms',
      numberError(settings.timeoutMs, { min: 1_000, max: 600_000, integer: true }),
    );
  }

  set('system_prompt', lengthError(values.systemPrompt, 50_000));
  set(
    'model_parameters.temperature',
    numberError(values.temperature, { min: 0, max: 2, integer: false, optional: true }),
  );
  set(
    'model_parameters.max_output_tokens',
    numberError(values.maxOutputTokens, {
      min: 1,
      max: 1_000_000,
      integer: true,
      optional: true,
    }),
  );
  set('memory.turns', numberError(values.memoryTurns, { min: 0, max: 200, integer: true }));

  const prefixes = parsePrefixes(values.prefixes);
  const tooLong = prefixes.find((prefix) => prefix.length > 32);
  if (prefixes.length > 20) {
    set('group_triggers.prefixes', t('validation.tooManyPrefixes', { count: prefixes.length }));
  } else if (tooLong !== undefined) {
    set('group_triggers.prefixes', t('validation.prefixTooLong', { prefix: tooLong }));
  }
  set(
    'group_triggers.probability',
    numberError(values.probability, { min: 0, max: 1, integer: false }),
  );
  set('output.coalesce_ms', numberError(values.coalesceMs, { min: 0, max: 2_000, integer: true }));
  return errors;
}

/** A server validation message split into the fields it names and the rest. */
export interface ServerValidationErrors {
  fields: FieldErrors;
  /** Problems that name no field of the form (e.g. an unknown key), shown above the buttons. */
  other: string[];
}

// Fields by decreasing length, so `runner.settings.model` wins over a shorter field it starts with.
const FIELDS_BY_LENGTH = [...FIELD_ORDER].sort((left, right) => right.length - left.length);

/** The field a path from a server message belongs to (`group_triggers.prefixes.3` → prefixes). */
export function fieldOfPath(path: string): FieldName | undefined {
  // A problem with the runner as a whole (e.g. an unknown type) belongs to the type's select.
  if (path === 'runner') return 'runner.type';
  return FIELDS_BY_LENGTH.find((field) => path === field || path.startsWith(`${field}.`));
}

/**
 * Maps the message of a `VALIDATION_FAILED` answer back to the form's fields. The server writes
 * `Invalid pipeline changes: <path>: <problem>; <path>: <problem>.` (zod's issues, at most
 * five); each problem naming a known field goes under it, the others are returned as `other`.
 */
export function serverValidationErrors(message: string): ServerValidationErrors {
  const result: ServerValidationErrors = { fields: {}, other: [] };
  const issues = message
    .replace(/^Invalid [^:]*:\s*/, '')
    .replace(/\.$/, '')
    .split('; ')
    .filter((issue) => issue.trim() !== '');
  for (const issue of issues) {
    const match = /^([A-Za-z_]\w*(?:\.\w+)*): (.+)$/s.exec(issue);
    const field = match?.[1] === undefined ? undefined : fieldOfPath(match[1]);
    const problem = match?.[2];
    if (field === undefined || problem === undefined) {
      result.other.push(issue);
    } else if (result.fields[field] === undefined) {
      // A field shows one message; the first is the one zod found first.
      result.fields[field] = `${problem}.`;
    }
  }
  return result;
}
