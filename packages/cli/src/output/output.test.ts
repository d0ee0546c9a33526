import { describe, expect, it } from 'vitest';
import { colorsFor, createColors, stripAnsi, visibleWidth } from './colors.js';
import { ProgressBar, renderProgressLine } from './progress.js';
import { renderPairs, renderTable } from './table.js';

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
