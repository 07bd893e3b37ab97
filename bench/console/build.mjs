// The console under test: a production build of packages/console, made for this run (or a given
// build, BENCH_CONSOLE_DIR).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { startNode } from '../lib.mjs';
import { log, root, settings } from './settings.mjs';

/**
 * Whether a built console holds React's development build (its source map lists it). A build made
 * with NODE_ENV set to something else than production (vitest sets "test", and its global set-up
 * builds the console) bundles the development React, several times slower.
 * @param {string} dir
 * @returns {boolean | undefined} undefined when there is no source map to tell
 */
function isDevelopmentBuild(dir) {
  try {
    const assets = path.join(dir, 'assets');
    const maps = fs.readdirSync(assets).filter((f) => f.endsWith('.js.map'));
    if (maps.length === 0) return undefined;
    return maps.some((f) => {
      const { sources } = JSON.parse(fs.readFileSync(path.join(assets, f), 'utf8'));
      return sources.some((/** @type {string} */ src) => /\/react-dom\/cjs\/[^/]*\.development\.js$/.test(src));
    });
  } catch {
    return undefined;
  }
}

/**
 * Builds packages/console for production into a temporary directory (what `npm run build` makes
 * from a plain shell), so that the run does not depend on who built packages/console/dist last.
 * @param {(() => Promise<void>)[]} cleanups
 */
async function buildConsole(cleanups) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-bench-console-'));
  cleanups.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
  const vite = path.join(root, 'node_modules/vite/bin/vite.js');
  const t0 = performance.now();
  const child = startNode('vite', [vite, 'build', 'packages/console', '--outDir', dir, '--emptyOutDir', '--logLevel', 'warn'], {
    cwd: root,
    env: { ...process.env, NODE_ENV: 'production' },
  });
  const code = await child.exited;
  if (code !== 0) throw new Error(`building the console failed (exit ${code}):\n${child.output.join('\n')}`);
  return { dir, seconds: (performance.now() - t0) / 1000 };
}

/**
 * The console the platforms serve: a given build as it is, or one built for production now. Says
 * when packages/console/dist holds a development build, which this run does not use.
 * @param {(() => Promise<void>)[]} cleanups
 * @returns {Promise<{ dir: string, build: Record<string, unknown>, distDev: boolean | undefined }>}
 */
export async function prepareConsole(cleanups) {
  const distDev = isDevelopmentBuild(path.join(root, 'packages/console/dist'));
  /** @type {string} */
  let consoleDir;
  /** @type {Record<string, unknown>} */
  let consoleBuild;
  if (settings.consoleDir) {
    consoleDir = settings.consoleDir;
    if (!fs.existsSync(path.join(consoleDir, 'index.html'))) throw new Error(`${consoleDir}/index.html is missing`);
    consoleBuild = { dir: consoleDir, builtByBench: false, reactDevelopmentBuild: isDevelopmentBuild(consoleDir) ?? null };
    log(`serving the console in ${consoleDir} as it is${consoleBuild.reactDevelopmentBuild ? ' (a DEVELOPMENT build of React: not what agents get)' : ''}`);
  } else {
    const built = await buildConsole(cleanups);
    consoleDir = built.dir;
    consoleBuild = { dir: 'temporary', builtByBench: true, seconds: built.seconds, reactDevelopmentBuild: isDevelopmentBuild(consoleDir) ?? null };
    log(`console built for production in ${built.seconds.toFixed(1)} s`);
  }
  if (distDev) log('note: packages/console/dist holds a development build of React (built with NODE_ENV≠production, e.g. by the test suite); this run does not use it');
  return { dir: consoleDir, build: consoleBuild, distDev };
}
