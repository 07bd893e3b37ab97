import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * The intended picture (README, "Layout"): protocol ← everything else; browser packages take
 * the protocol's browser entry only; in the server, routing/ is pure, delivery/ knows no
 * module, and a module folder uses another only through its index.ts.
 */
const IO = ['node:*', 'fs', 'http', 'https', 'net', 'child_process', 'kysely', 'pg', 'better-sqlite3', 'fastify', 'undici', 'socket.io'];
const restrict = (...patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'data/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
    },
  },
  {
    // Rules that need the types: defects a compiler lets through.
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      parserOptions: {
        project: ['./tsconfig.tests.json', './packages/console/tsconfig.json', './packages/widget/tsconfig.json', './e2e/tsconfig.json', './bench/tsconfig.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
  {
    files: ['packages/protocol/src/**/*.ts'],
    rules: restrict(
      { group: IO, message: 'the protocol does no I/O' },
      { group: ['@elitewebchat/*'], message: 'the protocol imports nothing of ours' },
      { regex: '^(\\.\\./){2,}', message: 'the protocol imports nothing outside itself' },
    ),
  },
  {
    files: ['packages/console/src/**/*.{ts,tsx}', 'packages/widget/src/**/*.{ts,tsx}'],
    rules: restrict(
      { regex: '^@elitewebchat/(?!protocol/browser$)', message: 'a browser package imports only @elitewebchat/protocol/browser' },
      { regex: '(^|/)(server|protocol)/src(/|$)', message: 'a browser package imports only @elitewebchat/protocol/browser' },
    ),
  },
  // The general server rule first: the folders below replace it with stricter ones.
  {
    files: ['packages/server/src/**/*.ts'],
    ignores: ['packages/server/src/modules/**', '**/*.test.ts', 'packages/server/src/test-support/**'],
    rules: restrict({ regex: '(^|/)modules/[^/]+/(?!index\\.js$)', message: "use a module folder through its index.ts, not its internals" }),
  },
  {
    files: ['packages/server/src/routing/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: restrict(
      { group: IO, message: 'routing/ is the pure engine: no I/O' },
      { regex: '^\\.\\./', message: 'routing/ is the pure engine: it uses nothing of the server outside itself' },
    ),
  },
  {
    // What integrators install: the protocol's shapes, never the server's code or a copy of it.
    files: ['packages/sdk/src/**/*.ts'],
    rules: restrict(
      { regex: '^@elitewebchat/(?!protocol$)', message: 'the SDK uses only @elitewebchat/protocol of ours' },
      { regex: '(^|/)(server|protocol|console|widget)/src(/|$)', message: 'the SDK uses only @elitewebchat/protocol of ours' },
    ),
  },
  {
    files: ['packages/server/src/delivery/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: restrict({ regex: '(^|/)modules/', message: 'delivery/ sends what the modules wrote; it does not import them' }),
  },
  {
    files: ['packages/server/src/modules/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: restrict({ regex: '^\\.\\./(?!\\.\\.)[^/]+/(?!index\\.js$)', message: "a module folder uses another only through its index.ts, not its internals" }),
  },
  {
    files: ['**/*.mjs', 'bench/**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', URL: 'readonly' } },
  },
);
