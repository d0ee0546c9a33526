import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ENVIRONMENT_VARIABLES } from './load-config.js';

/** docs/configuration.md, read relative to this file so the test works from any directory. */
const configurationDoc = readFileSync(
  new URL('../../../../docs/configuration.md', import.meta.url),
  'utf8',
);

describe('docs/configuration.md', () => {
  it.each(Object.keys(ENVIRONMENT_VARIABLES))('documents %s', (name) => {
    // A whole-word match, so BOTWIRE_MAX_CONNECTIONS is not satisfied by ..._PER_PRINCIPAL.
    const pattern = new RegExp(`(^|[^A-Z0-9_])${name}([^A-Z0-9_]|$)`, 'm');
    expect(pattern.test(configurationDoc), `docs/configuration.md does not mention ${name}`).toBe(
      true,
    );
  });

  it('documents BOTWIRE_CONFIG, the variable that names the config file', () => {
    expect(configurationDoc).toContain('BOTWIRE_CONFIG');
  });
});
