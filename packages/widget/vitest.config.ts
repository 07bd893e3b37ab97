import { defineConfig, mergeConfig } from 'vitest/config';
import viteConfig from './vite.config.ts';

// The widget's own unit tests: pure modules and rendering to a string, no browser needed.
export default mergeConfig(
  viteConfig,
  defineConfig({
    test: {
      name: 'widget',
      include: ['src/**/*.test.{ts,tsx}'],
      environment: 'node',
      // styles.test.ts reads the stylesheet's colours as written.
      css: { include: [/styles\.css/] },
    },
  }),
);
