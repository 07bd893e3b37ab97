import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// `npm run dev -w @elitewebchat/console` serves the console with hot reload and sends API and
// socket traffic to a platform on :8080. The built files are served by the platform itself.
export default defineConfig({
  plugins: [react()],
  resolve: {
    alias: { '@elitewebchat/protocol/browser': fileURLToPath(new URL('../protocol/src/browser.ts', import.meta.url)) },
  },
  base: '/',
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true },
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:8080',
      '/socket.io': { target: 'http://127.0.0.1:8080', ws: true },
    },
  },
});
