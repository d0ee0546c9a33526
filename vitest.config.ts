import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const source = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

/** Workspace packages resolve to their TypeScript sources so unit tests need no build. */
const alias = {
  '@botwire/protocol': source('./packages/protocol/src/index.ts'),
  '@botwire/client': source('./packages/client/src/index.ts'),
  '@botwire/server': source('./packages/server/src/index.ts'),
  '@botwire/cli': source('./packages/cli/src/index.ts'),
};

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit',
          sequence: { groupOrder: 0 },
          include: ['packages/*/src/**/*.test.ts', 'bench/src/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'e2e',
          sequence: { groupOrder: 0 },
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        resolve: { alias },
        test: {
          // Tests that stop and start the machine's real Redis or PostgreSQL: after everything
          // else (which uses the same services), one file at a time.
          name: 'restarts',
          include: ['tests/restarts/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'browser',
          sequence: { groupOrder: 0 },
          include: ['tests/browser/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // Each file drives its own Chromium; one at a time keeps a 2-core machine responsive.
          fileParallelism: false,
        },
      },
      {
        // No aliases: these tests use the packages as packed tarballs, installed outside the
        // checkout (they need `npm run build` first, which `npm test` does).
        test: {
          name: 'packaging',
          sequence: { groupOrder: 0 },
          include: ['tests/packaging/**/*.test.ts'],
          environment: 'node',
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
