// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Packages may only import what ARCHITECTURE.md allows; this enforces it. */
const importRule = (forbidden) => ({
  'no-restricted-imports': [
    'error',
    {
      patterns: [
        ...forbidden.map((name) => ({
          group: [`@botwire/${name}`, `@botwire/${name}/*`],
          message: `This package may not import @botwire/${name} (see ARCHITECTURE.md).`,
        })),
        {
          group: ['**/packages/*/src/**'],
          message: 'Import another package by name, not its src.',
        },
      ],
    },
  ],
});

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/dist-widget/**',
      '**/node_modules/**',
      'data/**',
      'coverage/**',
      'test-output/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  // Plain JavaScript outside the TypeScript projects: linted without type information.
  {
    files: ['eslint.config.js', 'scripts/**/*.mjs', 'packages/cli/bin/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
  { files: ['packages/protocol/src/**'], rules: importRule(['server', 'client', 'cli', 'web']) },
  { files: ['packages/server/src/**'], rules: importRule(['client', 'cli', 'web']) },
  { files: ['packages/client/src/**'], rules: importRule(['server', 'cli', 'web']) },
  { files: ['packages/cli/src/**'], rules: importRule(['server', 'web', 'protocol']) },
  { files: ['packages/web/src/**'], rules: importRule(['server', 'cli', 'protocol']) },
  {
    // Tests and benchmarks talk to the terminal and poke at untyped JSON from the wire.
    files: ['**/*.test.ts', 'tests/**', 'bench/**'],
    rules: {
      'no-console': 'off',
      // Frames and bodies read back from the wire are untyped JSON.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
    },
  },
);
