import { visibleWidth } from './colors.js';

/**
 * A column: its header, whether numbers in it are right-aligned, and the most characters a cell
 * shows (longer plain text is cut with `…`, so one long name cannot push a table off the screen).
 */
export interface Column {
  header: string;
  align?: 'left' | 'right';
  maxWidth?: number;
}

/** `text` cut to `maxWidth` characters, its last one `…`. Coloured text is left whole. */
export function truncateCell(text: string, maxWidth: number | undefined): string {
  if (maxWidth === undefined || text.length <= maxWidth || text.includes('\u001b')) return text;
  return `${[...text].slice(0, Math.max(0, maxWidth - 1)).join('')}…`;
}

/**
 * A plain-text table: a header row, a rule, then the rows, columns padded to their widest cell
 * (colour codes do not count). Ends with a newline; no trailing spaces.
 */
export function renderTable(
  columns: readonly (Column | string)[],
  rows: readonly string[][],
): string {
  const specs: Column[] = columns.map((column) =>
    typeof column === 'string' ? { header: column } : column,
  );
  rows = rows.map((row) => row.map((cell, index) => truncateCell(cell, specs[index]?.maxWidth)));
  const widths = specs.map((spec, index) =>
    Math.max(visibleWidth(spec.header), ...rows.map((row) => visibleWidth(row[index] ?? ''))),
  );
  const line = (cells: readonly string[]): string =>
    specs
      .map((spec, index) => {
        const cell = cells[index] ?? '';
        const padding = ' '.repeat((widths[index] ?? 0) - visibleWidth(cell));
        return spec.align === 'right' ? padding + cell : cell + padding;
      })
      .join('  ')
      .trimEnd();
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  return [line(specs.map((spec) => spec.header)), rule, ...rows.map(line)].join('\n') + '\n';
}

/** `label  value` lines with the labels padded to one width. */
export function renderPairs(pairs: readonly (readonly [string, string])[]): string {
  const width = Math.max(0, ...pairs.map(([label]) => visibleWidth(label)));
  return (
    pairs
      .map(([label, value]) =>
        `${label}${' '.repeat(width - visibleWidth(label))}  ${value}`.trimEnd(),
      )
      .join('\n') + '\n'
  );
}
