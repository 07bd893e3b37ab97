import { execFileSync } from 'node:child_process';

/**
 * Tests that run the server or the SDK's commands as real processes need an up-to-date build, and the
 * browser tests need the console and the web chat built.
 */
export default function setup(): void {
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-b', 'packages/server', 'packages/sdk'], { stdio: 'inherit' });
  // Vitest sets NODE_ENV=test, which would bundle React's development build.
  for (const app of ['packages/console', 'packages/widget']) {
    execFileSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', app, '--logLevel', 'warn'], {
      stdio: 'inherit',
      env: { ...process.env, NODE_ENV: 'production' },
    });
  }
  execFileSync(process.execPath, ['scripts/precompress.mjs', 'packages/console/dist', 'packages/widget/dist'], { stdio: 'inherit' });
}
