import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { rest } from '../support/rest-client.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';

/** Provider variables configure only the default pipeline created at first start, and say so. */
describe('model settings from the environment on an existing install', () => {
  const servers: ServerProcess[] = [];
  const directory = mkdtempSync(path.join(tmpdir(), 'botwire-env-model-'));
  afterEach(async () => {
    for (const server of servers.splice(0)) await server[Symbol.asyncDispose]();
  });

  it('keeps the existing default pipeline and warns that the variables were not applied', async () => {
    const first = await startServerProcess({ dataDir: directory });
    servers.push(first);
    expect(await first.stop()).toBe(0);

    const second = await startServerProcess({
      dataDir: directory,
      env: { OPENAI_API_KEY: 'sk-env-key-not-applied', BOTWIRE_MODEL: 'gpt-late' },
    });
    servers.push(second);
    const pipeline = await rest(
      second.url,
      'GET',
      `/api/v1/pipelines/${second.defaultPipelineUuid}`,
    );
    expect(pipeline.body.data.pipeline.runner.type).toBe('echo');
    expect(second.output()).toContain(
      'only configure the default pipeline when it is created at first start',
    );
    expect(second.output()).not.toContain('sk-env-key-not-applied');
    rmSync(directory, { recursive: true, force: true });
  });
});
