import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from './config.js';
import { loadConfig } from './load-config.js';

describe('loadConfig', () => {
  it('uses the defaults when nothing is given', () => {
    const result = loadConfig({ argv: [], env: {} });
    expect(result.ok && result.value.config).toEqual(DEFAULT_CONFIG);
    expect(DEFAULT_CONFIG).toMatchObject({ host: '127.0.0.1', port: 8000, dataDir: './data' });
  });

  it('reads the cluster settings, with the key prefix defaulting to botwire:', () => {
    const result = loadConfig({
      argv: [],
      env: {
        BOTWIRE_REDIS_URL: 'redis://127.0.0.1:6379',
        BOTWIRE_DATABASE_URL: 'postgres://botwire@127.0.0.1:5432/botwire',
        BOTWIRE_NODE_ID: 'node-a',
      },
    });
    expect(result.ok && result.value.config).toMatchObject({
      redisUrl: 'redis://127.0.0.1:6379',
      nodeId: 'node-a',
      redisPrefix: 'botwire:',
    });
    expect(DEFAULT_CONFIG.redisUrl).toBeUndefined();
    expect(DEFAULT_CONFIG.nodeId).toBeUndefined();
  });

  it('refuses cluster mode on SQLite, saying what to set', () => {
    const result = loadConfig({ argv: [], env: { BOTWIRE_REDIS_URL: 'redis://127.0.0.1:6379' } });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toEqual([
      expect.stringMatching(
        /^Cluster mode \(BOTWIRE_REDIS_URL\) needs PostgreSQL.*BOTWIRE_DATABASE_URL=postgres:/,
      ),
    ]);
  });

  it('refuses a Redis URL of another scheme and a node id with spaces', () => {
    const result = loadConfig({
      argv: [],
      env: { BOTWIRE_REDIS_URL: 'http://127.0.0.1:6379', BOTWIRE_NODE_ID: 'node a' },
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.join('\n')).toMatch(/redisUrl: must be a Redis URL/);
    expect(result.error.join('\n')).toMatch(/nodeId: must be 1-100 letters/);
  });

  it('layers file < environment < flags', () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'botwire-config-'));
    const file = path.join(directory, 'botwire.yaml');
    writeFileSync(
      file,
      'port: 7000\nhost: 0.0.0.0\nwebsocket:\n  heartbeatIntervalMs: 1000\n  heartbeatTimeoutMs: 5000\n',
    );
    const result = loadConfig({
      argv: ['--config', file, '--port', '9100'],
      env: {
        BOTWIRE_PORT: '9000',
        BOTWIRE_DATA_DIR: '/tmp/x',
        BOTWIRE_API_KEYS: 'first-static-key-0001, second-static-key-0002',
        BOTWIRE_ALLOWED_ORIGINS: 'https://chat.example.com',
      },
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const { config } = result.value;
    expect(config.port).toBe(9100);
    expect(config.host).toBe('0.0.0.0');
    expect(config.dataDir).toBe('/tmp/x');
    expect(config.websocket.heartbeatIntervalMs).toBe(1000);
    expect(config.auth.apiKeys).toEqual(['first-static-key-0001', 'second-static-key-0002']);
    expect(config.auth.allowedOrigins).toEqual(['https://chat.example.com']);
  });

  it('reports every problem with its source instead of throwing', () => {
    const result = loadConfig({
      argv: [],
      env: { BOTWIRE_PORT: 'eighty', BOTWIRE_SECURE_COOKIE: 'maybe' },
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toEqual([
      'BOTWIRE_PORT must be a whole number, got "eighty"',
      'BOTWIRE_SECURE_COOKIE must be true or false, got "maybe"',
    ]);
  });

  it('rejects out-of-range values and unknown flags', () => {
    const range = loadConfig({ argv: [], env: { BOTWIRE_PORT: '70000' } });
    expect(!range.ok && range.error.join()).toContain('port');
    const flag = loadConfig({ argv: ['--colour'], env: {} });
    expect(!flag.ok && flag.error.join()).toContain('command line');
  });

  it('rejects a misspelled key in the config file instead of ignoring it', () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'botwire-config-'));
    const file = path.join(directory, 'botwire.yaml');
    writeFileSync(file, 'data_dir: /srv/botwire\nwebsocket:\n  heartbeat_interval_ms: 1000\n');
    const result = loadConfig({ argv: ['--config', file], env: {} });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.join(' ')).toMatch(/data_dir/);
  });

  it('refuses a heartbeat timeout shorter than the interval', () => {
    const result = loadConfig({
      argv: [],
      env: { BOTWIRE_HEARTBEAT_INTERVAL_MS: '5000', BOTWIRE_HEARTBEAT_TIMEOUT_MS: '1000' },
    });
    expect(!result.ok && result.error[0]).toContain('heartbeatTimeoutMs');
  });
  it('selects PostgreSQL by databaseUrl from the file, the environment or the flag', () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'botwire-config-'));
    const file = path.join(directory, 'botwire.yaml');
    writeFileSync(file, 'databaseUrl: postgres://file@db/botwire\ndatabasePoolSize: 4\n');
    const fromFile = loadConfig({ argv: ['--config', file], env: {} });
    expect(fromFile.ok && fromFile.value.config).toMatchObject({
      databaseUrl: 'postgres://file@db/botwire',
      databasePoolSize: 4,
    });
    const fromEnvironment = loadConfig({
      argv: [],
      env: {
        BOTWIRE_DATABASE_URL: 'postgresql://env:secret@db:5433/botwire?sslmode=require',
        BOTWIRE_DATABASE_POOL_SIZE: '25',
      },
    });
    expect(fromEnvironment.ok && fromEnvironment.value.config).toMatchObject({
      databaseUrl: 'postgresql://env:secret@db:5433/botwire?sslmode=require',
      databasePoolSize: 25,
    });
    const fromFlag = loadConfig({
      argv: ['--database-url', 'postgres://flag@db/botwire'],
      env: { BOTWIRE_DATABASE_URL: 'postgres://env@db/botwire' },
    });
    expect(fromFlag.ok && fromFlag.value.config.databaseUrl).toBe('postgres://flag@db/botwire');
    // Without it: SQLite, as before.
    expect(DEFAULT_CONFIG.databaseUrl).toBeUndefined();
    expect(DEFAULT_CONFIG.databasePoolSize).toBe(10);
  });

  it('refuses a database URL that is not PostgreSQL, and a pool size out of range', () => {
    const result = loadConfig({
      argv: [],
      env: { BOTWIRE_DATABASE_URL: 'mysql://db/botwire', BOTWIRE_DATABASE_POOL_SIZE: '0' },
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toContain(
      'databaseUrl: must be a PostgreSQL URL: postgres://user:password@host:5432/database',
    );
    expect(result.error.some((line) => line.startsWith('databasePoolSize:'))).toBe(true);
  });
});
