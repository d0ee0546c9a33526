import { afterAll, afterEach, beforeEach } from 'vitest';
import type { FakeBehaviour, FakeProviderServer } from './fake-provider-server.js';
import type { ServerProcess } from './server-process.js';
import type { TestResources } from './stream-test-kit.js';

/**
 * What a model suite shares across its tests, read when the hooks run: after `beforeAll`, or
 * unset (hence the `?.` on teardown) when it failed.
 */
export interface ModelSuite {
  resources: TestResources;
  server(): ServerProcess;
  fakes(): FakeProviderServer[];
  /** What the fakes answer at the start of each test; left as it was when omitted. */
  behaviour?: FakeBehaviour;
}

/**
 * Registers the hooks of a suite that shares one server process and fake providers, which the
 * suite starts in its own `beforeAll`: before each test the fakes forget their requests (and take
 * `behaviour`); after each, what the test opened is released; after all, everything is stopped.
 */
export function registerModelSuiteHooks(suite: ModelSuite): void {
  beforeEach(() => {
    for (const fake of suite.fakes()) {
      fake.requests.length = 0;
      if (suite.behaviour !== undefined) fake.setBehaviour(suite.behaviour);
    }
  });
  afterEach(async () => {
    await suite.resources.dispose();
  });
  afterAll(async () => {
    await suite.resources.dispose();
    await suite.server()?.[Symbol.asyncDispose]();
    await Promise.all(suite.fakes().map((fake) => fake?.close()));
  });
}
