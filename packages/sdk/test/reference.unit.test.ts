/**
 * The SDK's reference (docs/reference) is generated from its types by TypeDoc; the committed
 * pages must be what the types give today, so that the reference never lies. After a change of
 * the SDK's or the protocol's exported types: `npm run docs -w packages/sdk`.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const SDK = fileURLToPath(new URL('..', import.meta.url));
const COMMITTED = path.join(SDK, 'docs/reference');

function files(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else out.set(path.relative(dir, full), fs.readFileSync(full, 'utf8'));
    }
  };
  walk(dir);
  return out;
}

it('docs/reference is what TypeDoc makes of the types now', () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-sdk-reference-'));
  try {
    execFileSync(process.execPath, [path.join(SDK, '../../node_modules/typedoc/bin/typedoc'), '--options', 'typedoc.json', '--out', out, '--logLevel', 'Warn'], { cwd: SDK, stdio: 'pipe' });
    const fresh = files(out);
    const committed = files(COMMITTED);
    expect([...committed.keys()].sort(), 'pages added or removed: run npm run docs -w packages/sdk').toEqual([...fresh.keys()].sort());
    const stale = [...fresh].filter(([name, text]) => committed.get(name) !== text).map(([name]) => name);
    expect(stale, 'pages out of date: run npm run docs -w packages/sdk').toEqual([]);
    // It documents what an integrator uses.
    expect(committed.get('classes/TpiClient.md')).toMatch(/sendText/);
    expect(committed.get('classes/CallbackReceiver.md')).toMatch(/fastify/);
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}, 120_000);
