/**
 * The layering of the README's "Layout" is enforced by lint: each forbidden import below is
 * refused with its reason, and each allowed one passes. Module folders also form no cycle.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');

// The type-aware rules need a whole program; these probes are not on disk, and only the import
// rules matter here.
const eslint = new ESLint({
  cwd: ROOT,
  overrideConfig: {
    languageOptions: { parserOptions: { project: null } },
    rules: {
      '@typescript-eslint/switch-exhaustiveness-check': 'off',
      '@typescript-eslint/no-floating-promises': 'off',
      '@typescript-eslint/no-misused-promises': 'off',
    },
  },
});

async function importProblems(file: string, specifier: string): Promise<string[]> {
  const code = `import { x } from '${specifier}';\nexport const y = x;\n`;
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('lint refuses imports against the layering', () => {
  const refused: [file: string, specifier: string, reason: RegExp][] = [
    ['packages/protocol/src/probe.ts', 'node:fs', /no I\/O/],
    ['packages/protocol/src/probe.ts', '@elitewebchat/server', /nothing of ours/],
    ['packages/protocol/src/api/probe.ts', '../../../server/src/app.js', /nothing outside itself/],
    ['packages/console/src/chat/probe.ts', '@elitewebchat/protocol', /protocol\/browser/],
    ['packages/console/src/chat/probe.ts', '@elitewebchat/server', /protocol\/browser/],
    ['packages/console/src/chat/probe.ts', '../../../server/src/errors.js', /protocol\/browser/],
    ['packages/console/src/chat/probe.ts', '../../../protocol/src/api/agent.js', /protocol\/browser/],
    ['packages/server/src/routing/probe.ts', '../db/database.js', /pure engine/],
    ['packages/server/src/routing/probe.ts', 'kysely', /no I\/O/],
    ['packages/server/src/delivery/probe.ts', '../modules/tpi/index.js', /does not import them/],
    ['packages/server/src/modules/admin/probe.ts', '../agent/presenter.js', /through its index/],
    ['packages/server/src/modules/tpi/probe.ts', '../chat/sessions.js', /through its index/],
    ['packages/server/src/realtime/probe.ts', '../modules/agent/agent-service.js', /through its index/],
    ['packages/server/src/app-probe.ts', './modules/chat/router.js', /through its index/],
    ['packages/sdk/src/mock/probe.ts', '@elitewebchat/server', /only @elitewebchat\/protocol/],
    ['packages/sdk/src/probe.ts', '../../server/src/delivery/signature.js', /only @elitewebchat\/protocol/],
    ['packages/sdk/src/probe.ts', '../../protocol/src/tpi.js', /only @elitewebchat\/protocol/],
  ];
  for (const [file, specifier, reason] of refused) {
    it(`${file}: ${specifier}`, async () => {
      const problems = await importProblems(file, specifier);
      expect(problems, 'lint let a forbidden import through').toHaveLength(1);
      expect(problems[0]).toMatch(reason);
    });
  }

  const allowed: [string, string][] = [
    ['packages/protocol/src/api/probe.ts', '../codes.js'],
    ['packages/console/src/chat/probe.ts', '@elitewebchat/protocol/browser'],
    ['packages/console/src/chat/probe.ts', '../api/http'],
    ['packages/server/src/routing/probe.ts', './hours.js'],
    ['packages/server/src/routing/probe.ts', '@elitewebchat/protocol'],
    ['packages/server/src/delivery/probe.ts', '../db/database.js'],
    ['packages/server/src/modules/admin/probe.ts', '../directory/index.js'],
    ['packages/server/src/modules/admin/probe.ts', '../../auth/guard.js'],
    ['packages/server/src/modules/admin/probe.ts', './deps.js'],
    ['packages/server/src/realtime/probe.ts', '../modules/agent/index.js'],
    ['packages/sdk/src/sim/probe.ts', '@elitewebchat/protocol'],
    ['packages/sdk/src/sim/probe.ts', '../client.js'],
  ];
  it('lets the allowed directions through', async () => {
    for (const [file, specifier] of allowed) expect(await importProblems(file, specifier), `${file}: ${specifier}`).toEqual([]);
  });
});

describe('module folders', () => {
  it('use each other without a cycle', () => {
    const modules = path.join(ROOT, 'packages/server/src/modules');
    const edges = new Map<string, Set<string>>();
    for (const folder of fs.readdirSync(modules)) {
      const uses = new Set<string>();
      for (const file of fs.readdirSync(path.join(modules, folder))) {
        if (!file.endsWith('.ts') || file.endsWith('.test.ts')) continue;
        const text = fs.readFileSync(path.join(modules, folder, file), 'utf8');
        for (const m of text.matchAll(/from '\.\.\/([^./][^/']*)\//g)) if (m[1] !== folder) uses.add(m[1]!);
      }
      edges.set(folder, uses);
    }
    expect(edges.size).toBeGreaterThan(5);
    const cycles: string[] = [];
    const visit = (node: string, trail: string[]) => {
      if (trail.includes(node)) return void cycles.push([...trail.slice(trail.indexOf(node)), node].join(' → '));
      for (const next of edges.get(node) ?? []) visit(next, [...trail, node]);
    };
    for (const folder of edges.keys()) visit(folder, []);
    expect(cycles).toEqual([]);
  });
});
