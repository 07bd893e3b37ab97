import { defineConfig, mergeConfig } from 'vitest/config';
import viteConfig from './vite.config.ts';

// The console's own unit tests: pure modules and server-side rendering, no browser needed.
export default mergeConfig(
  viteConfig,
  defineConfig({
    test: { name: 'console', include: ['src/**/*.test.{ts,tsx}'], environment: 'node' },
  }),
);
