import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { BenchReport } from './bench-report.js';
import { renderMarkdownReport } from './markdown-report.js';

/** A file-name-safe timestamp: `2026-11-24T12-13-33Z`. */
export function fileTimestamp(date: Date): string {
  return date
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replaceAll(':', '-');
}

/**
 * Writes the run as `<timestamp>.json` and `.md` in `directory`, and as `latest.json` and
 * `latest.md` beside them so docs and readers have a stable name. Returns the Markdown path.
 */
export function writeResults(report: BenchReport, directory: string): string {
  mkdirSync(directory, { recursive: true });
  const stamp = fileTimestamp(new Date(report.startedAt));
  const json = `${JSON.stringify(report, (_key, value: unknown) => (typeof value === 'number' && !Number.isFinite(value) ? null : value), 2)}\n`;
  const markdown = renderMarkdownReport(report);
  const markdownPath = path.join(directory, `${stamp}.md`);
  writeFileSync(path.join(directory, `${stamp}.json`), json);
  writeFileSync(markdownPath, markdown);
  writeFileSync(path.join(directory, 'latest.json'), json);
  writeFileSync(path.join(directory, 'latest.md'), markdown);
  return markdownPath;
}
