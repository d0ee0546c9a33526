import type { OutputStream } from '../io.js';

/** Text styles; each is the identity when colours are off. */
export interface Colors {
  readonly enabled: boolean;
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
}

const style =
  (enabled: boolean, open: number, close: number) =>
  (text: string): string =>
    enabled ? `\u001b[${open}m${text}\u001b[${close}m` : text;

/** Colours for `stream`: only on a terminal, and never when `NO_COLOR` is set (no-color.org). */
export function colorsFor(
  stream: OutputStream,
  env: Readonly<Record<string, string | undefined>>,
): Colors {
  const noColor = env.NO_COLOR !== undefined && env.NO_COLOR !== '';
  return createColors(stream.isTTY === true && !noColor);
}

export function createColors(enabled: boolean): Colors {
  return {
    enabled,
    bold: style(enabled, 1, 22),
    dim: style(enabled, 2, 22),
    red: style(enabled, 31, 39),
    green: style(enabled, 32, 39),
    yellow: style(enabled, 33, 39),
    cyan: style(enabled, 36, 39),
  };
}

// eslint-disable-next-line no-control-regex -- matching ANSI escapes is the point
const ANSI_PATTERN = /\u001b\[[0-9;]*m/g;

/** `text` without ANSI colour codes. */
export function stripAnsi(text: string): string {
  return text.replace(ANSI_PATTERN, '');
}

/** The width `text` takes on a terminal (colour codes take none). */
export function visibleWidth(text: string): number {
  return [...stripAnsi(text)].length;
}
