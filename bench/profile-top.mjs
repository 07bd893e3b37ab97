// Where a V8 CPU profile (node --cpu-prof) spent its time: the hottest functions by self time,
// by total time (themselves and what they call), and self time by package.
//
//   node bench/profile-top.mjs <file.cpuprofile> [rows]
import fs from 'node:fs';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

/**
 * @typedef {{ functionName: string, url: string, lineNumber: number }} CallFrame
 * @typedef {{ id: number, callFrame: CallFrame, children?: number[] }} ProfileNode
 * @typedef {{ nodes: ProfileNode[], samples: number[], timeDeltas: number[], startTime: number, endTime: number }} Profile
 */

/** @param {string} url */
function area(url) {
  if (url === '') return '(vm: gc, idle, program, natives)';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1] ?? url;
  if (url.startsWith('node:')) return 'node core';
  const pkg = /packages\/([^/]+)\/(?:dist|src)\/(.*)$/.exec(url);
  if (pkg) return `@elitewebchat/${pkg[1]}`;
  return url;
}

/** @param {CallFrame} f */
function label(f) {
  const file = f.url.replace(/^file:\/\//, '').replace(/^.*node_modules\//, '').replace(/^.*\/packages\//, '');
  return `${f.functionName || '(anonymous)'} ${file ? `${file}:${f.lineNumber + 1}` : ''}`.trim();
}

/**
 * @param {Profile} profile
 * @param {number} [rows]
 * @returns {string} a plain-text report
 */
export function summarizeProfile(profile, rows = 20) {
  /** @type {Map<number, ProfileNode>} */
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  /** @type {Map<number, number>} microseconds of self time per node */
  const self = new Map();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...self.values()].reduce((a, b) => a + b, 0);

  /** @type {Map<string, number>} */ const selfByFn = new Map();
  /** @type {Map<string, number>} */ const totalByFn = new Map();
  /** @type {Map<string, number>} */ const selfByArea = new Map();
  /** @type {Map<string, number>} */ const onStack = new Map();

  const root = profile.nodes[0];
  /** @type {Set<number>} */
  const isChild = new Set(profile.nodes.flatMap((n) => n.children ?? []));
  const roots = profile.nodes.filter((n) => !isChild.has(n.id));
  /**
   * Inclusive time of a node, counted once per function even under recursion. Iterative, since
   * profiles can be deep.
   * @param {ProfileNode} start
   */
  const walk = (start) => {
    /** @type {{ node: ProfileNode, key: string, i: number, sum: number }[]} */
    const stack = [];
    const push = (/** @type {ProfileNode} */ node) => {
      const key = label(node.callFrame);
      onStack.set(key, (onStack.get(key) ?? 0) + 1);
      const s = self.get(node.id) ?? 0;
      selfByFn.set(key, (selfByFn.get(key) ?? 0) + s);
      const a = area(node.callFrame.url);
      selfByArea.set(a, (selfByArea.get(a) ?? 0) + s);
      stack.push({ node, key, i: 0, sum: s });
    };
    push(start);
    while (stack.length > 0) {
      const top = /** @type {(typeof stack)[number]} */ (stack.at(-1));
      const children = top.node.children ?? [];
      if (top.i < children.length) {
        const child = byId.get(/** @type {number} */ (children[top.i++]));
        if (child) push(child);
        continue;
      }
      stack.pop();
      const depth = (onStack.get(top.key) ?? 1) - 1;
      onStack.set(top.key, depth);
      if (depth === 0) totalByFn.set(top.key, (totalByFn.get(top.key) ?? 0) + top.sum);
      const parent = stack.at(-1);
      if (parent) parent.sum += top.sum;
    }
  };
  for (const r of roots.length > 0 ? roots : root ? [root] : []) walk(r);

  const pct = (/** @type {number} */ us) => `${((100 * us) / (total || 1)).toFixed(1).padStart(5)}%`;
  const top = (/** @type {Map<string, number>} */ m, /** @type {number} */ n) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, v]) => `  ${pct(v)}  ${k}`)
      .join('\n');
  const busy = total - (selfByFn.get('(idle)') ?? 0);
  return [
    `sampled ${(total / 1e6).toFixed(1)} s, of which idle ${(((selfByFn.get('(idle)') ?? 0) / (total || 1)) * 100).toFixed(1)}%, busy ${(busy / 1e6).toFixed(1)} s`,
    `self time by package:`,
    top(selfByArea, 15),
    `hottest functions, self time:`,
    top(selfByFn, rows),
    `hottest functions, total time (with what they call):`,
    top(totalByFn, rows),
  ].join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: node bench/profile-top.mjs <file.cpuprofile> [rows]');
    process.exit(2);
  }
  console.log(summarizeProfile(JSON.parse(fs.readFileSync(file, 'utf8')), Number(process.argv[3] ?? 25)));
}
