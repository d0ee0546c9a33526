import type { ChatMessage } from '@botwire/client';

type Figures = NonNullable<ChatMessage['figures']>;

function duration(ms: number): string {
  return ms < 1_000 ? `${ms} ms` : `${(ms / 1_000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

/** The figures as label/value pairs, leaving out what the provider did not report. */
export function describeFigures(figures: Figures): [string, string][] {
  const entries: [string, string][] = [];
  if (figures.first_chunk_ms !== null) {
    entries.push(['first chunk', duration(figures.first_chunk_ms)]);
  }
  entries.push(['total', duration(figures.duration_ms)]);
  entries.push(['chunks', String(figures.chunks)]);
  entries.push(['characters', figures.characters.toLocaleString('en')]);
  if (figures.input_tokens !== null) entries.push(['input tokens', String(figures.input_tokens)]);
  if (figures.output_tokens !== null) {
    entries.push(['output tokens', String(figures.output_tokens)]);
  }
  if (figures.finish_reason !== null) entries.push(['finish', figures.finish_reason]);
  return entries;
}

/** A finished reply's figures, as the server measured them, in one small line. */
export function ReplyFigures({ figures }: { figures: Figures }) {
  return (
    <dl
      aria-label="Reply figures"
      className="mt-1 flex flex-wrap gap-x-3 gap-y-0.5 text-xs text-slate-600 dark:text-slate-300"
    >
      {describeFigures(figures).map(([label, value]) => (
        <div key={label} className="flex gap-1">
          <dt>{label}</dt>
          <dd className="font-medium tabular-nums">{value}</dd>
        </div>
      ))}
    </dl>
  );
}
