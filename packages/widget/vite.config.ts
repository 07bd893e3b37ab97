import preact from '@preact/preset-vite';
import { fileURLToPath } from 'node:url';
import { build, defineConfig, type Plugin } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const alias = { '@elitewebchat/protocol/browser': here('../protocol/src/browser.ts') };

/**
 * The embed loader (dist/widget.js) is a second, separate output: one plain IIFE script that
 * shares nothing with the app and loads no framework. Built after the app so that the app's
 * build (which empties dist/) cannot remove it.
 */
function loader(): Plugin {
  return {
    name: 'ewc-loader',
    apply: 'build',
    async closeBundle() {
      await build({
        configFile: false,
        root: here('.'),
        logLevel: 'warn',
        resolve: { alias },
        publicDir: false,
        build: {
          outDir: here('dist'),
          emptyOutDir: false,
          sourcemap: false,
          lib: { entry: here('src/loader/widget.ts'), formats: ['iife'], name: 'EliteWebChatLoader', fileName: () => 'widget.js' },
        },
      });
    },
  };
}

// `npm run dev -w @elitewebchat/widget` serves the chat at /chat/<channelId> with hot reload and
// sends API and socket traffic to a platform on :8080. The built files are served by the platform.
export default defineConfig({
  plugins: [preact({ prerender: { enabled: false } }), loader()],
  resolve: { alias },
  base: '/chat/',
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true },
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:8080',
      '/socket.io': { target: 'http://127.0.0.1:8080', ws: true },
    },
  },
});
