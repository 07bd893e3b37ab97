import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const protocolSrc = fileURLToPath(new URL('./packages/protocol/src/index.ts', import.meta.url));
const alias = { '@elitewebchat/protocol': protocolSrc };

/** `npm start` for real: it builds the server, the console and the web chat again. */
const E2E_ALONE = ['e2e/start-stop.test.ts'];

// Every server suite runs twice: once on the embedded SQLite store, once on PostgreSQL.
export default defineConfig({
  test: {
    globalSetup: ['./vitest.global-setup.ts'],
    // The server projects import a test file's modules once per worker, not once per file
    // (isolate: false): the server's state lives in the app each test builds, none at module
    // level. Importing the same modules again for each file took a fifth of the run.
    // Most suites wait on real processes, sockets and timers more than on the CPU: two files at
    // once even on two cores (Vitest's default there is one). Three on two cores was slower
    // (1,030 s against 985 s) and timed out tests that wait for time-outs.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    projects: [
      'packages/console/vitest.config.ts',
      'packages/widget/vitest.config.ts',
      {
        resolve: { alias },
        test: { name: 'protocol', include: ['packages/protocol/src/**/*.test.ts'] },
      },
      // The repository's own rules (layering), checked with the real tools.
      { test: { name: 'repo', include: ['tests/**/*.test.ts'], testTimeout: 60_000 } },
      {
        resolve: { alias },
        // Pure code, no store: once is enough.
        test: { name: 'server-unit', isolate: false, include: ['packages/server/src/**/*.unit.test.ts', 'packages/sdk/test/**/*.unit.test.ts'] },
      },
      {
        resolve: { alias },
        test: {
          name: 'server-sqlite',
          isolate: false,
          include: ['packages/server/src/**/*.test.ts', 'packages/sdk/test/**/*.test.ts'],
          // Cluster mode runs on PostgreSQL only: its Redis parts are tested there.
          exclude: ['**/*.unit.test.ts', '**/node_modules/**', 'packages/server/src/cluster/redis-*.test.ts', 'packages/server/src/cluster/cluster-*.test.ts'],
          env: { TEST_STORE: 'sqlite' },
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'server-postgres',
          isolate: false,
          include: ['packages/server/src/**/*.test.ts', 'packages/sdk/test/**/*.test.ts'],
          // The SDK's simulator and mock comparisons speak only HTTP to the platform: once, on SQLite, is enough.
          exclude: ['**/*.unit.test.ts', '**/node_modules/**', 'packages/sdk/test/conformance.test.ts', 'packages/sdk/test/sim-platform.test.ts'],
          env: { TEST_STORE: 'postgres' },
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        resolve: { alias },
        // Real Chromium against the real server and the built console, beside the server suites.
        test: {
          name: 'e2e',
          include: ['e2e/**/*.test.ts'],
          exclude: [...E2E_ALONE, '**/node_modules/**'],
          env: { TEST_STORE: 'sqlite' },
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        resolve: { alias },
        // It rewrites what every other suite serves or runs: Vitest runs it last, on its own.
        test: {
          name: 'e2e-alone',
          include: E2E_ALONE,
          env: { TEST_STORE: 'sqlite' },
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
