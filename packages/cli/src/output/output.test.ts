import { describe, expect, it } from 'vitest';
import { colorsFor, createColors, stripAnsi, visibleWidth } from './colors.js';
import { ProgressBar, renderProgressLine } from './progress.js';
import { formatRelativeTime } from './relative-time.js';
import { renderPairs, renderTable, truncateCell } from './table.js';

function stream(isTTY: boolean) {
  const written: string[] = [];
  return { written, isTTY, columns: 60, write: (text: string) => written.push(text) > 0 };
}

describe('colours', () => {
  it('are on for a terminal only, and off whenever NO_COLOR is set', () => {
    expect(colorsFor(stream(true), {}).enabled).toBe(true);
    expect(colorsFor(stream(false), {}).enabled).toBe(false);
    expect(colorsFor(stream(true), { NO_COLOR: '1' }).enabled).toBe(false);
    // no-color.org: an empty NO_COLOR does not count.
    expect(colorsFor(stream(true), { NO_COLOR: '' }).enabled).toBe(true);
  });

  it('wrap text in ANSI codes that take no width', () => {
    const red = createColors(true).red('error');
    expect(red).toBe('\u001b[31merror\u001b[39m');
    expect(stripAnsi(red)).toBe('error');
    expect(visibleWidth(red)).toBe(5);
    expect(createColors(false).red('error')).toBe('error');
  });
});

describe('renderTable', () => {
  it('pads columns to the widest cell, colours not counted, no trailing spaces', () => {
    const green = createColors(true).green('yes');
    expect(
      renderTable(
        ['NAME', { header: 'N', align: 'right' }, 'OK'],
        [
          ['alpha', '5', green],
          ['b', '123', ''],
        ],
      ),
    ).toBe(
      ['NAME     N  OK', '-----  ---  ---', `alpha    5  ${green}`, 'b      123', ''].join('\n'),
    );
  });

  it('lines up label/value pairs', () => {
    expect(
      renderPairs([
        ['A', '1'],
        ['Longer', '2'],
      ]),
    ).toBe('A       1\nLonger  2\n');
  });
});

describe('progress', () => {
  it('renders a bar, the counter, the percentage and the detail', () => {
    const line = renderProgressLine(
      { done: 50, total: 100, detail: 'conns 5/5', elapsedMs: 1234 },
      80,
    );
    expect(line).toMatch(/^\[#{10,}-{10,}\] +50\/100 +50% +conns 5\/5 +1\.2s$/);
    expect(line.length).toBeLessThan(80);
    expect(renderProgressLine({ done: 0, total: 0, elapsedMs: 0 })).toContain('100%');
  });

  it('draws on a terminal only, at most every interval, and clears itself', () => {
    let clock = 0;
    const terminal = stream(true);
    const bar = new ProgressBar(terminal, 100, () => clock);
    bar.update({ done: 1, total: 10, elapsedMs: 0 });
    clock = 50;
    bar.update({ done: 2, total: 10, elapsedMs: 50 });
    clock = 150;
    bar.update({ done: 3, total: 10, elapsedMs: 150 });
    bar.update({ done: 10, total: 10, elapsedMs: 150 }, true);
    bar.clear();
    expect(terminal.written).toHaveLength(4);
    expect(terminal.written.at(-1)).toBe('\r\u001b[2K');

    const pipe = stream(false);
    const silent = new ProgressBar(pipe);
    silent.update({ done: 1, total: 2, elapsedMs: 0 }, true);
    silent.clear();
    expect(pipe.written).toEqual([]);
  });
});

describe('relative times and truncated columns', () => {
  const now = Date.parse('2026-12-05T12:00:00.000Z');

  it.each([
    ['2026-12-05T11:59:55.000Z', 'just now'],
    ['2026-12-05T11:59:18.000Z', '42s ago'],
    ['2026-12-05T11:55:00.000Z', '5 min ago'],
    ['2026-12-05T09:00:00.000Z', '3 h ago'],
    ['2026-12-04T11:00:00.000Z', '1 day ago'],
    ['2026-11-20T12:00:00.000Z', '15 days ago'],
    ['2026-10-01T12:00:00.000Z', '2026-10-01'],
    ['2026-12-05T12:05:00.000Z', 'in 5 min'],
    ['not a time', 'not a time'],
  ])('shows %s as %s', (iso, expected) => {
    expect(formatRelativeTime(iso, now)).toBe(expected);
  });

  it('cuts long plain cells with an ellipsis and leaves coloured ones whole', () => {
    const table = renderTable(
      [{ header: 'NAME', maxWidth: 8 }, 'OTHER'],
      [
        ['a very long pipeline name', 'x'],
        ['short', 'y'],
      ],
    );
    expect(table.split('\n')).toEqual([
      'NAME      OTHER',
      '--------  -----',
      'a very …  x',
      'short     y',
      '',
    ]);
    expect(truncateCell('\u001b[32ma long green text\u001b[39m', 4)).toContain('a long green text');
  });

  it('draws the progress bar at 80 columns when the terminal reports 0', () => {
    const writes: string[] = [];
    const stream = { isTTY: true, columns: 0, write: (text: string) => writes.push(text) > 0 };
    const bar = new ProgressBar(stream, 0, () => 0);
    bar.update({ done: 5, total: 10, elapsedMs: 1_000 }, true);
    const line = writes.at(-1)?.replace('\r\u001b[2K', '') ?? '';
    expect(line).toBe(`[${'#'.repeat(20)}${'-'.repeat(20)}]   5/10   50%  1.0s`);
    expect(renderProgressLine({ done: 1, total: 2, elapsedMs: 0 }, 0).length).toBeGreaterThan(20);
  });
});
