import type { ChatMessage } from '@botwire/client';
import { useI18n } from '../../i18n/i18n-context.js';
import { createLocalizer, type Localizer } from '../../i18n/localizer.js';

type Figures = NonNullable<ChatMessage['figures']>;

function duration(ms: number, { t }: Localizer): string {
  return ms < 1_000
    ? t('figures.milliseconds', { value: ms })
    : t('figures.seconds', { value: (ms / 1_000).toFixed(ms < 10_000 ? 2 : 1) });
}

/**
 * The figures as label/value pairs, leaving out what the provider did not report; English
 * unless a localizer says otherwise.
 */
export function describeFigures(
  figures: Figures,
  localizer: Localizer = createLocalizer('en'),
): [string, string][] {
  const { t, format } = localizer;
  const entries: [string, string][] = [];
  if (figures.first_chunk_ms !== null) {
    entries.push([t('figures.firstChunk'), duration(figures.first_chunk_ms, localizer)]);
  }
  entries.push([t('figures.total'), duration(figures.duration_ms, localizer)]);
  entries.push([t('figures.chunks'), format.number(figures.chunks)]);
  entries.push([t('figures.characters'), format.number(figures.characters)]);
  if (figures.input_tokens !== null) {
    entries.push([t('figures.inputTokens'), format.number(figures.input_tokens)]);
  }
  if (figures.output_tokens !== null) {
    entries.push([t('figures.outputTokens'), format.number(figures.output_tokens)]);
  }
  if (figures.finish_reason !== null) entries.push([t('figures.finish'), figures.finish_reason]);
  return entries;
}

/** A finished reply's figures, as the server measured them, in one small line. */
export function ReplyFigures({ figures }: { figures: Figures }) {
  const localizer = useI18n();
  return (
    <dl
      aria-label={localizer.t('figures.label')}
      className="mt-1 flex flex-wrap gap-x-3 gap-y-0.5 text-xs text-slate-600 dark:text-slate-300"
    >
      {describeFigures(figures, localizer).map(([label, value]) => (
        <div key={label} className="flex gap-1">
          <dt>{label}</dt>
          <dd className="font-medium tabular-nums">{value}</dd>
        </div>
      ))}
    </dl>
  );
}
