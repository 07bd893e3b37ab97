#!/usr/bin/env node
// Runs before `npm pack` of the SDK (prepack): the protocol package is private to this
// repository, so its compiled code (JavaScript and declarations, no tests) is put inside the
// SDK's dist, at dist/vendor/protocol, and the SDK's imports of '@elitewebchat/protocol' are
// pointed at it. The code is the protocol's build output, unchanged: one source still.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const sdk = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const from = path.resolve(sdk, '../protocol/dist');
const dist = path.join(sdk, 'dist');
const vendor = path.join(dist, 'vendor', 'protocol');
const SPECIFIER = '@elitewebchat/protocol';

if (!fs.existsSync(path.join(from, 'index.js'))) throw new Error(`${from} has no build: run tsc -b packages/sdk first`);
fs.rmSync(vendor, { recursive: true, force: true });

/** Every file below `dir`, as paths relative to it. */
function walk(dir, base = dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? walk(full, base) : [path.relative(base, full)];
  });
}

let copied = 0;
for (const file of walk(from)) {
  if (!/\.(js|d\.ts)$/.test(file) || /\.test\./.test(file)) continue;
  const target = path.join(vendor, file);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  // Source maps point at sources the package does not carry: drop their comments.
  fs.writeFileSync(target, fs.readFileSync(path.join(from, file), 'utf8').replace(/\n\/\/# sourceMappingURL=.*$/m, ''));
  copied++;
}

let rewritten = 0;
for (const file of walk(dist)) {
  if (!/\.(js|d\.ts)$/.test(file) || file.startsWith(`vendor${path.sep}`)) continue;
  const full = path.join(dist, file);
  let relative = path.relative(path.dirname(full), path.join(vendor, 'index.js')).split(path.sep).join('/');
  if (!relative.startsWith('.')) relative = `./${relative}`;
  const text = fs.readFileSync(full, 'utf8');
  const next = text.replaceAll(`'${SPECIFIER}'`, `'${relative}'`).replaceAll(`"${SPECIFIER}"`, `"${relative}"`);
  if (next.includes(SPECIFIER)) throw new Error(`${file} still names ${SPECIFIER} in a way this script does not rewrite`);
  if (next !== text) {
    fs.writeFileSync(full, next);
    rewritten++;
  }
}
console.log(`vendor-protocol: ${copied} protocol files in dist/vendor/protocol, ${rewritten} SDK files pointed at them`);
