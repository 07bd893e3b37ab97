#!/usr/bin/env node
// Writes .br and .gz beside every text asset of the built console and web chat, so that the
// platform serves them compressed (the browser says which it takes) without compressing on
// each request. Run by `npm run build` after Vite.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const TEXT = /\.(js|css|html|svg|json|map|txt)$/;
const MIN_BYTES = 1024;

function* files(dir) {
  if (!fs.existsSync(dir)) return;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* files(full);
    else if (TEXT.test(entry.name)) yield full;
  }
}

let count = 0;
for (const dir of process.argv.slice(2)) {
  for (const file of files(dir)) {
    const data = fs.readFileSync(file);
    if (data.length < MIN_BYTES) continue;
    fs.writeFileSync(`${file}.br`, zlib.brotliCompressSync(data, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length } }));
    fs.writeFileSync(`${file}.gz`, zlib.gzipSync(data, { level: 9 }));
    count += 1;
  }
}
console.log(`precompress: ${count} files, .br and .gz beside each`);
