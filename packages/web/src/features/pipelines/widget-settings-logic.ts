import { widgetLimitsSchema, widgetOriginSchema, type WidgetLimits } from '@botwire/client';

/** The numeric widget limits (every limit but the `allow_group` and `allow_images` switches). */
export type NumericWidgetLimit = Exclude<keyof WidgetLimits, 'allow_group' | 'allow_images'>;

/** The numeric limits in the order the form shows them. */
export const NUMERIC_WIDGET_LIMITS: readonly NumericWidgetLimit[] = [
  'messages_per_minute_per_visitor',
  'messages_per_minute_per_ip',
  'connections_per_visitor',
  'connections_per_ip',
  'new_visitors_per_minute_per_ip',
  'max_conversation_messages',
  'image_uploads_per_minute_per_visitor',
];

/** A limit's inclusive bounds, read from the protocol schema so form and server agree. */
export function widgetLimitBounds(limit: NumericWidgetLimit): { min: number; max: number } {
  const field = widgetLimitsSchema.shape[limit];
  return { min: field.minValue ?? 0, max: field.maxValue ?? Number.MAX_SAFE_INTEGER };
}

/** Why one origin line is refused, or undefined when it is a valid `scheme://host[:port]`. */
export type OriginProblem = 'path' | 'scheme' | 'format';

/** Checks one origin the way the server does, with a reason the form can explain. */
export function originProblem(origin: string): OriginProblem | undefined {
  if (widgetOriginSchema.safeParse(origin).success) return undefined;
  if (!/^https?:\/\//i.test(origin)) return 'scheme';
  // A path, query or fragment after the host is the most common paste mistake (a page URL).
  if (/^https?:\/\/[^/?#]+[/?#]/i.test(origin)) return 'path';
  return 'format';
}

/** The origins typed one per line: trimmed, blank lines dropped, duplicates kept once. */
export function parseOriginLines(text: string): string[] {
  const origins: string[] = [];
  for (const line of text.split('\n')) {
    const origin = line.trim();
    if (origin !== '' && !origins.includes(origin)) origins.push(origin);
  }
  return origins;
}

/** The first invalid origin with its problem, or undefined when every origin is valid. */
export function firstOriginProblem(
  origins: readonly string[],
): { origin: string; problem: OriginProblem } | undefined {
  for (const origin of origins) {
    const problem = originProblem(origin);
    if (problem !== undefined) return { origin, problem };
  }
  return undefined;
}

/**
 * A limit's text as a whole number inside its bounds, or a message key saying what is wrong.
 */
export function parseWidgetLimit(
  limit: NumericWidgetLimit,
  text: string,
): { ok: true; value: number } | { ok: false; min: number; max: number } {
  const { min, max } = widgetLimitBounds(limit);
  const trimmed = text.trim();
  const value = Number(trimmed);
  if (!/^\d+$/.test(trimmed) || !Number.isSafeInteger(value) || value < min || value > max) {
    return { ok: false, min, max };
  }
  return { ok: true, value };
}

/** Escapes a value for a double-quoted HTML attribute. */
function attribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/** The one-tag embed snippet a site owner pastes into a page. */
export function buildEmbedSnippet(options: {
  serverOrigin: string;
  pipelineUuid: string;
  widgetKey: string;
}): string {
  const origin = options.serverOrigin.replace(/\/+$/, '');
  return `<script src="${attribute(`${origin}/widget.js`)}" data-pipeline="${attribute(options.pipelineUuid)}" data-key="${attribute(options.widgetKey)}" async></script>`;
}
