// Mapping the console's minified code back to its sources (for long frames and CPU profiles).
import fs from 'node:fs';
import path from 'node:path';
import { root } from './settings.mjs';

/** @param {string} dist the served console */
export async function sourceMapper(dist) {
  /** @type {any} */
  let SourceMapConsumer;
  try {
    ({ SourceMapConsumer } = await import('source-map-js'));
  } catch {
    return null;
  }
  /** @type {Map<string, { consumer: any, lineStarts: number[], mapDir: string } | null>} */
  const cache = new Map();
  const load = (/** @type {string} */ url) => {
    if (cache.has(url)) return cache.get(url);
    /** @type {{ consumer: any, lineStarts: number[], mapDir: string } | null} */
    let entry;
    try {
      const file = path.join(dist, new URL(url).pathname);
      const code = fs.readFileSync(file, 'utf8');
      const lineStarts = [0];
      for (let i = 0; i < code.length; i++) if (code.charCodeAt(i) === 10) lineStarts.push(i + 1);
      const map = JSON.parse(fs.readFileSync(`${file}.map`, 'utf8'));
      entry = { consumer: new SourceMapConsumer(map), lineStarts, mapDir: path.dirname(file) };
    } catch {
      entry = null;
    }
    cache.set(url, entry);
    return entry;
  };
  /**
   * @param {string} url
   * @param {number} line 0-based
   * @param {number} column 0-based
   * @returns {{ file: string, line: number, name: string | null } | null}
   */
  const at = (url, line, column) => {
    if (!url || !url.includes('/assets/')) return null;
    const entry = load(url);
    if (!entry) return null;
    const o = entry.consumer.originalPositionFor({ line: line + 1, column });
    if (!o || !o.source) return null;
    return { file: path.resolve(entry.mapDir, o.source), line: o.line ?? 0, name: o.name ?? null };
  };
  /** @param {string} url @param {number} pos character offset in the script */
  const atChar = (url, pos) => {
    const entry = url && url.includes('/assets/') ? load(url) : null;
    if (!entry || pos < 0) return null;
    let lo = 0;
    let hi = entry.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (/** @type {number} */ (entry.lineStarts[mid]) <= pos) lo = mid;
      else hi = mid - 1;
    }
    return at(url, lo, pos - /** @type {number} */ (entry.lineStarts[lo]));
  };
  return { at, atChar };
}

/** @param {{ file: string, line: number, name: string | null } | null} o */
export const where = (o) => (o ? `${path.relative(root, o.file).replace(/^node_modules\//, '')}:${o.line}${o.name ? ` (${o.name})` : ''}` : '?');
