import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from './config.js';
import { memoryBounds } from './memory-bounds.js';

const configurationDoc = readFileSync(
  new URL('../../../../docs/configuration.md', import.meta.url),
  'utf8',
);

describe('memoryBounds', () => {
  const bounds = memoryBounds(DEFAULT_CONFIG);

  const entries: [string, number][] = Object.entries(bounds);
  it.each(entries)(
    'docs/configuration.md states the default bound %s (%i bytes)',
    (_name, bytes) => {
      expect(configurationDoc).toContain(`${bytes.toLocaleString('en-US')} bytes`);
    },
  );

  it('scales with the settings it names', () => {
    const doubled = memoryBounds({
      ...DEFAULT_CONFIG,
      websocket: {
        ...DEFAULT_CONFIG.websocket,
        maxConnectionsPerPrincipal: 2 * DEFAULT_CONFIG.websocket.maxConnectionsPerPrincipal,
      },
    });
    expect(doubled.principal).toBe(2 * bounds.principal);
    expect(doubled.connection).toBe(bounds.connection);
  });
});
