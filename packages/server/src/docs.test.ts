/**
 * The reference docs and the code must agree (fastify's habit): the result-code and
 * request-state tables of docs/tpi.md list exactly the protocol's codes, the
 * environment-variable table of docs/configuration.md names exactly what config.ts reads, and
 * the error table of docs/agent-api.md lists exactly the codes of errors.ts.
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CALLBACK_NAMES, LaterResultCode, RequestStatus, RequestType, ResultCode } from '@elitewebchat/protocol';
import { describe, expect, it } from 'vitest';
import { API_ERRORS } from './errors.js';
import { startTestPlatform } from './test-support/platform.js';

const read = (relative: string) => fs.readFileSync(fileURLToPath(new URL(relative, import.meta.url)), 'utf8');
const TPI_MD = read('../../../docs/tpi.md');
const CONFIGURATION_MD = read('../../../docs/configuration.md');
const AGENT_API_MD = read('../../../docs/agent-api.md');
const CONFIG_TS = read('./config.ts');

/** The body rows of the first table under the heading `heading`, as trimmed cells. */
function tableUnder(markdown: string, heading: string): string[][] {
  const lines = markdown.split(/\r?\n/);
  const at = lines.findIndex((line) => line.trim() === heading);
  if (at < 0) throw new Error(`no heading "${heading}"`);
  const rows: string[][] = [];
  for (let i = at + 1; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (/^#{1,6}\s/.test(line)) break;
    if (line.startsWith('|')) {
      // Split on pipes not escaped with a backslash, dropping the empty edges.
      rows.push(line.split(/(?<!\\)\|/).slice(1, -1).map((cell) => cell.trim()));
    } else if (rows.length > 0) {
      break;
    }
  }
  if (rows.length < 3) throw new Error(`no table with rows under "${heading}"`);
  const [, separator, ...body] = rows;
  expect(separator!.every((cell) => /^:?-+:?$/.test(cell)), `separator row under "${heading}"`).toBe(true);
  return body;
}

const unquote = (cell: string) => cell.replace(/`/g, '').trim();

/** The original document's spelling, read as the code's. */
const codeSpelling = (name: string) => name.replace(/INVAILD_/g, 'INVALID_').replace(/ROULTING/g, 'ROUTING');

/** [value, name] of each row: the value cell, then the leading identifier of the name cell. */
function valueNameRows(markdown: string, heading: string): [number, string][] {
  return tableUnder(markdown, heading).map((cells) => {
    const value = Number(unquote(cells[0] ?? ''));
    const name = /^[A-Z][A-Z0-9_]*/.exec(unquote(cells[1] ?? ''))?.[0];
    if (!Number.isInteger(value) || name === undefined) throw new Error(`unreadable row under "${heading}": | ${cells.join(' | ')} |`);
    return [value, codeSpelling(name)];
  });
}

const byValue = (pairs: [number, string][]) => [...pairs].sort((a, b) => a[0] - b[0]);
const entriesOf = (table: Record<string, number>) => byValue(Object.entries(table).map(([name, value]): [number, string] => [value, name]));

describe('docs/tpi.md', () => {
  it('lists exactly the result codes of ResultCode, with their values and names', () => {
    const rows = valueNameRows(TPI_MD, '## Result codes');
    expect(new Set(rows.map(([value]) => value)).size, 'a value listed twice').toBe(rows.length);
    expect(byValue(rows)).toEqual(entriesOf(ResultCode));
  });

  it("spells the result names as the original does (INVAILD_, ROULTING)", () => {
    const names = tableUnder(TPI_MD, '## Result codes').map((cells) => unquote(cells[1] ?? ''));
    expect(names).toContain('REQUEST_ALREADY_IN_ROULTING');
    expect(names).toContain('INVAILD_CHAT_SESSION_ID');
    expect(names.filter((n) => n.includes('INVALID_') || n.includes('ROUTING'))).toEqual([]);
  });

  it('lists exactly the later result codes of LaterResultCode, apart from the seed\'s', () => {
    const rows = valueNameRows(TPI_MD, '### Later result codes');
    expect(byValue(rows)).toEqual(entriesOf(LaterResultCode));
    const seed = new Set(Object.values(ResultCode) as number[]);
    expect(rows.filter(([value]) => seed.has(value))).toEqual([]);
  });

  it('lists exactly the request states of RequestStatus, with their values and names', () => {
    const rows = valueNameRows(TPI_MD, '## Request states');
    expect(new Set(rows.map(([value]) => value)).size, 'a value listed twice').toBe(rows.length);
    expect(byValue(rows)).toEqual(entriesOf(RequestStatus));
  });
});

describe('docs/tpi.md, its request types and callbacks', () => {
  it('has a section for exactly the request types of RequestType, each with its name', () => {
    const sections = [...TPI_MD.matchAll(/^### (\d{4}) ([A-Z_]+)/gm)].map((m): [number, string] => [Number(m[1]), m[2]!]);
    expect(new Set(sections.map(([type]) => type)).size, 'a type with two sections').toBe(sections.length);
    expect(byValue(sections)).toEqual(entriesOf(RequestType));
  });

  it('lists exactly the callbacks of CALLBACK_NAMES', () => {
    const names = tableUnder(TPI_MD, '## Callbacks').map((cells) => unquote(cells[0] ?? ''));
    expect([...names].sort()).toEqual([...CALLBACK_NAMES].sort());
  });
});

describe('/docs', () => {
  it('describes an answer for every operation, and no console page', async () => {
    const p = await startTestPlatform({ provisioning: {} });
    try {
      const res = await fetch(`${p.url}/docs/json`);
      const doc = (await res.json()) as { paths: Record<string, Record<string, { responses?: Record<string, { content?: unknown }> }>> };
      const operations = Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method, op })));
      expect(operations.length).toBeGreaterThan(30);
      // A success that is described: a body with a schema, or 204. (Without a schema, the
      // OpenAPI plugin invents a "Default Response" with no content.)
      const described = (code: string, response: { content?: unknown }) => code === '204' || (/^2\d\d$/.test(code) && response.content !== undefined);
      const unanswered = operations.filter(({ op }) => !Object.entries(op.responses ?? {}).some(([code, response]) => described(code, response)));
      expect(unanswered.map(({ method, path }) => `${method} ${path}`)).toEqual([]);
      const pages = Object.keys(doc.paths).filter((path) => !/^\/(api|EliteWebChat|webchat\/tpi|webchat\/files|healthz|readyz|metrics)/.test(path));
      expect(pages).toEqual([]);
    } finally {
      await p.close();
    }
  });
});

describe('docs/configuration.md', () => {
  it('documents exactly the environment variables that config.ts reads', () => {
    const readByConfig = new Set([
      ...[...CONFIG_TS.matchAll(/env\.([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]!),
      ...[...CONFIG_TS.matchAll(/int\(env, '([A-Z][A-Z0-9_]*)'/g)].map((m) => m[1]!),
    ]);
    expect(readByConfig.size, 'config.ts reads no variable: the pattern no longer matches its code').toBeGreaterThan(5);

    const documented = tableUnder(CONFIGURATION_MD, '## Environment variables').map((cells) => {
      const name = /^`?([A-Z][A-Z0-9_]*)`?$/.exec(cells[0] ?? '')?.[1];
      if (name === undefined) throw new Error(`unreadable variable cell: "${cells[0]}"`);
      return name;
    });
    expect(new Set(documented).size, 'a variable listed twice').toBe(documented.length);
    expect([...documented].sort()).toEqual([...readByConfig].sort());
  });
});

describe('docs/agent-api.md', () => {
  it('lists exactly the error codes of errors.ts, with their HTTP statuses', () => {
    const rows = tableUnder(AGENT_API_MD, '## Errors').map((cells): [string, number] => {
      const code = /^`?([A-Z][A-Z0-9_]*)`?$/.exec(cells[0] ?? '')?.[1];
      const status = Number(cells[1]);
      if (code === undefined || !Number.isInteger(status)) throw new Error(`unreadable error row: | ${cells.join(' | ')} |`);
      return [code, status];
    });
    const sorted = (pairs: [string, number][]) => [...pairs].sort((a, b) => a[0].localeCompare(b[0]));
    expect(new Set(rows.map(([code]) => code)).size, 'a code listed twice').toBe(rows.length);
    expect(sorted(rows)).toEqual(sorted(Object.entries(API_ERRORS)));
  });
});
