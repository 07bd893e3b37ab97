import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const protocolSrc = fileURLToPath(new URL('./packages/protocol/src/index.ts', import.meta.url));
const alias = { '@elitewebchat/protocol': protocolSrc };

// Every server suite runs twice: once on the embedded SQLite store, once on PostgreSQL.
export default defineConfig({
  test: {
    globalSetup: ['./vitest.global-setup.ts'],
    // Most suites wait on real processes, sockets and timers more than on the CPU: two files at
    // once even on two cores (Vitest's default there is one).
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
        test: { name: 'server-unit', include: ['packages/server/src/**/*.unit.test.ts'] },
      },
      {
        resolve: { alias },
        test: {
          name: 'server-sqlite',
          include: ['packages/server/src/**/*.test.ts'],
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
          include: ['packages/server/src/**/*.test.ts'],
          exclude: ['**/*.unit.test.ts', '**/node_modules/**'],
          env: { TEST_STORE: 'postgres' },
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        resolve: { alias },
        // Real Chromium against the real server and the built console; one file at a time.
        test: {
          name: 'e2e',
          include: ['e2e/**/*.test.ts'],
          env: { TEST_STORE: 'sqlite' },
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
