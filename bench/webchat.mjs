#!/usr/bin/env node
// The web chat benchmarks of issue 9, one after the other: size, connections, time to
// interactive. Each runs as it would alone (its own output and result file); this exits non-zero
// when any of them did.
//
//   npm run bench:webchat                      (builds first)
//   node bench/webchat.mjs [size] [connections] [tti]
//
// See bench/README.md, "Web chat".
import { spawn } from 'node:child_process';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const ALL = ['size', 'connections', 'tti'];
const chosen = process.argv.slice(2);
for (const name of chosen) if (!ALL.includes(name)) throw new Error(`unknown benchmark "${name}": choose among ${ALL.join(', ')}`);
const names = chosen.length > 0 ? chosen : ALL;

/** @type {import('node:child_process').ChildProcess | undefined} */
let running;
for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
  process.on(signal, () => {
    // The benchmark cleans up after itself on the same signal.
    running?.kill(signal);
    process.exitCode = 130;
  });
}

/** @type {{ name: string, code: number | null }[]} */
const outcomes = [];
for (const name of names) {
  console.log(`\n==== webchat-${name} ====`);
  const child = spawn(process.execPath, [path.join(here, `webchat-${name}.mjs`)], { stdio: 'inherit' });
  running = child;
  const code = await new Promise((resolve) => child.on('exit', (c) => resolve(c)));
  running = undefined;
  outcomes.push({ name, code: /** @type {number | null} */ (code) });
  if (process.exitCode === 130) break;
}
console.log('');
for (const o of outcomes) console.log(`webchat-${o.name}: ${o.code === 0 ? 'ok' : `exit ${o.code}`}`);
if (process.exitCode !== 130) process.exitCode = outcomes.every((o) => o.code === 0) ? 0 : 1;
