import { describe, expect, it } from 'vitest';
import { formatNumber, formatRatio, renderScenarioTable } from './markdown-report.js';

describe('formatNumber', () => {
  it('prints fixed decimals with separators, n/a for missing values', () => {
    expect(formatNumber(12345.678, 1)).toBe('12,345.7');
    expect(formatNumber(Number.NaN, 2)).toBe('n/a');
    expect(formatNumber(undefined, 0)).toBe('n/a');
  });
});

describe('formatRatio', () => {
  it('divides by the reference', () => {
    expect(formatRatio(1, 4)).toBe('0.25x');
    expect(formatRatio(1, 0)).toBe('n/a');
    expect(formatRatio(Number.NaN, 1)).toBe('n/a');
  });
});

describe('renderScenarioTable', () => {
  it('has a column per target and ratios to the minimal ws server', () => {
    const table = renderScenarioTable({
      name: 'streaming',
      title: 'Streaming',
      description: '',
      metrics: [{ key: 'cpu', label: 'CPU | per chunk', unit: 'µs', better: 'lower', decimals: 1 }],
      outcomes: [
        { target: 'socket.io', metrics: { cpu: 30 }, checks: [], notes: [] },
        { target: 'botwire', metrics: { cpu: 5 }, checks: [], notes: [] },
        { target: 'minimal-ws', metrics: { cpu: 10 }, checks: [], notes: [] },
      ],
    });
    expect(table.split('\n')).toEqual([
      '| Metric | Botwire | minimal ws | Socket.IO | Botwire ÷ minimal ws | Socket.IO ÷ minimal ws |',
      '| --- | ---: | ---: | ---: | ---: | ---: |',
      '| CPU \\| per chunk (µs) ↓ | 5.0 | 10.0 | 30.0 | 0.50x | 3.00x |',
    ]);
  });
});
