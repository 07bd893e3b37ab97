import { execFileSync } from 'node:child_process';

/** Tests that run the server as a real process (kill -9) need an up-to-date build. */
export default function setup(): void {
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-b', 'packages/server'], { stdio: 'inherit' });
}
