import { describe, expect, it } from 'vitest';
import { parseBenchOptions, SCENARIO_NAMES } from './cli-options.js';

describe('parseBenchOptions', () => {
  it('defaults to every scenario and target, bounded by the open-file limit', () => {
    const options = parseBenchOptions([], 20_000);
    if (options === 'help') throw new Error('unexpected help');
    expect(options.scenarios).toEqual([...SCENARIO_NAMES]);
    expect(options.targets).toEqual(['botwire', 'minimal-ws', 'socket.io']);
    expect(options.capacity.maxConnections).toBe(19_500);
    expect(options.fanout.sizes).toEqual([1_000, 10_000]);
  });

  it('shrinks sizes in quick mode and honours flags', () => {
    const options = parseBenchOptions(
      [
        '--quick',
        '--scenarios',
        'streaming,fanout',
        '--conversations',
        '7',
        '--fanout-sizes',
        '5,6',
      ],
      20_000,
    );
    if (options === 'help') throw new Error('unexpected help');
    expect(options.quick).toBe(true);
    expect(options.scenarios).toEqual(['streaming', 'fanout']);
    expect(options.streaming.conversations).toBe(7);
    expect(options.fanout.sizes).toEqual([5, 6]);
    expect(options.capacity.maxConnections).toBe(600);
  });

  it('leaves the cluster target out unless asked for, and reads its settings', () => {
    const defaults = parseBenchOptions([], 20_000);
    if (defaults === 'help') throw new Error('unexpected help');
    expect(defaults.targets).not.toContain('botwire-cluster');
    expect(defaults.cluster).toEqual({
      nodes: 3,
      postgresUrl: 'postgres://postgres@127.0.0.1:5432/postgres',
      redisUrl: 'redis://127.0.0.1:6379',
    });
    const options = parseBenchOptions(
      [
        '--targets',
        'botwire-cluster',
        '--nodes',
        '1',
        '--postgres-url',
        'postgres://bench@db:5432/postgres',
        '--redis-url',
        'redis://cache:6380',
      ],
      20_000,
    );
    if (options === 'help') throw new Error('unexpected help');
    expect(options.targets).toEqual(['botwire-cluster']);
    expect(options.cluster).toEqual({
      nodes: 1,
      postgresUrl: 'postgres://bench@db:5432/postgres',
      redisUrl: 'redis://cache:6380',
    });
  });

  it('runs at least one node', () => {
    const options = parseBenchOptions(['--nodes', '0'], 20_000);
    if (options === 'help') throw new Error('unexpected help');
    expect(options.cluster.nodes).toBe(1);
  });

  it('refuses unknown names and bad numbers', () => {
    expect(() => parseBenchOptions(['--nodes', 'three'], 20_000)).toThrow(/whole number/);
    expect(() => parseBenchOptions(['--scenarios', 'nope'], 20_000)).toThrow(/unknown "nope"/);
    expect(() => parseBenchOptions(['--workers', 'two'], 20_000)).toThrow(/whole number/);
    expect(() => parseBenchOptions(['--bogus'], 20_000)).toThrow();
  });

  it('answers help', () => {
    expect(parseBenchOptions(['--help'], 20_000)).toBe('help');
  });
});
