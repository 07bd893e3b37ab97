/**
 * webchat-sim's scenario file (schema, defaults, messages for a bad one), its report's
 * percentiles, and its command line (exit codes 0, 1, 2 and --json).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../src/sim/cli.js';
import { formatReport, latencyOf, parseScenario, ScenarioError, type Report } from '../src/sim/index.js';

const HEAD = `platform: { url: "http://127.0.0.1:9", key: "k-0123456789abcdef" }
callbacks: { listen: "127.0.0.1:0" }
`;

function problemsOf(yaml: string): string[] {
  try {
    parseScenario(yaml);
  } catch (error) {
    if (error instanceof ScenarioError) return error.problems;
    throw error;
  }
  throw new Error('the scenario was taken');
}

describe('the scenario file', () => {
  it('takes the documented example and fills in the defaults', () => {
    const s = parseScenario(`${HEAD}customers: 20
arrivalPerSecond: 5
customer:
  - request: { queueId: 1, from: WECHAT }
  - waitFor: create
  - send: "hello \${n}"
  - sendImage: tiny-png
  - pause: 2
  - waitFor: { msg: 1, timeoutSeconds: 10 }
  - rate: { ratingId: 5 }
  - close: {}
`);
    expect(s).toMatchObject({ customers: 20, arrivalPerSecond: 5, concurrency: 20, maxSeconds: 60, settleSeconds: 1, summarySeconds: 5, clientId: 'sim-${run}-${n}' });
    expect(s.customer).toHaveLength(8);
    expect(s.customer[2]).toEqual({ send: 'hello ${n}' });
  });

  it('names every problem of a bad file by its path', () => {
    expect(
      problemsOf(`platform: { url: "ftp://x" }
callbacks: { listen: "nowhere" }
customers: 20000
maxSeconds: 0
customer:
  - request: { queue: 1 }
  - waitFor: created
`),
    ).toEqual([
      '/platform/url: must match pattern "^https?://"',
      '/callbacks/listen: must match pattern "^[^:]+:\\d+$"',
      '/customers: must be <= 10000',
      '/maxSeconds: must be > 0',
      '/customer/0/request: must have required properties queueId',
      '/customer/0/request: unknown field(s) queue',
      '/customer/1/waitFor: must be one of "create", "msg", "pushRating", "close", "accepted-or-final"',
    ]);
  });

  it('wants one action per step, a request before what needs one, and one thing to wait for', () => {
    expect(
      problemsOf(`${HEAD}customers: 1
customer:
  - send: hi
    pause: 1
  - request: { queueId: 1 }
  - waitFor: { msg: 1, close: true }
  - request: { queueId: 2 }
`),
    ).toEqual([
      '/customer/0: a step has exactly one of request, waitFor, preMessage, send, sendImage, pause, rate, close, cancel; got send, pause',
      '/customer/2/waitFor: name exactly one of create, msg, pushRating, close, accepted-or-final; got msg, close',
      '/customer/0: comes before any request step',
      '/customer: only one request step per customer',
    ]);
  });

  it('says when the file is not YAML, or not a mapping', () => {
    expect(problemsOf('a: [')[0]).toMatch(/^not valid YAML/);
    expect(problemsOf('- 1\n- 2\n')).toEqual(['(top): a scenario is a mapping (platform, callbacks, customers, customer, …)']);
  });
});

describe('the report', () => {
  it('gives nearest-rank percentiles', () => {
    expect(latencyOf([])).toEqual({ count: 0, p50: 0, p95: 0, max: 0 });
    expect(latencyOf([5])).toEqual({ count: 1, p50: 5, p95: 5, max: 5 });
    const hundred = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(latencyOf(hundred)).toEqual({ count: 100, p50: 50, p95: 95, max: 100 });
  });
});

describe('the command line', () => {
  let dir: string;
  let out: string[];
  let err: string[];
  const io = { stdout: (t: string) => void out.push(t), stderr: (t: string) => void err.push(t) };

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'sim-cli-'));
    out = [];
    err = [];
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('exits 2 for a bad scenario, a missing file or a bad command line', async () => {
    const bad = path.join(dir, 'bad.yaml');
    await writeFile(bad, `${HEAD}customers: -1\ncustomer: []\n`);
    expect(await main([bad], io)).toBe(2);
    expect(err.join('')).toContain('/customers: must be >= 0');
    expect(await main([path.join(dir, 'missing.yaml')], io)).toBe(2);
    expect(err.join('')).toMatch(/cannot read .*missing\.yaml/);
    expect(await main([], io)).toBe(2);
    expect(await main([bad, '--bogus'], io)).toBe(2);
    expect(await main([bad, '--url', 'nope'], io)).toBe(2);
  });

  it('exits 0 without violations and writes the report as JSON with --json', async () => {
    const file = path.join(dir, 's.yaml');
    await writeFile(file, `${HEAD}customers: 2\nsettleSeconds: 0\ncustomer:\n  - pause: 0.05\n`);
    const json = path.join(dir, 'out.json');
    expect(await main([file, '--json', json, '--quiet'], io)).toBe(0);
    const report = JSON.parse(await readFile(json, 'utf8')) as Report;
    expect(report.customers).toEqual({ planned: 2, started: 2, finished: 2, stopped: 0 });
    expect(report.violations.total).toBe(0);
    expect(out.join('')).toBe(`${formatReport(report)}\n`);
  });

  it('exits 1 when a violation was seen (a callback with a bad signature)', async () => {
    const file = path.join(dir, 's.yaml');
    await writeFile(file, `platform: { url: "http://127.0.0.1:9", webhookSecrets: ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"] }
callbacks: { listen: "127.0.0.1:0" }
customers: 1
settleSeconds: 0
customer:
  - pause: 0.5
`);
    const sent: Promise<unknown>[] = [];
    const watching = {
      stdout: io.stdout,
      stderr: (t: string) => {
        err.push(t);
        const m = /listening for callbacks on ([\d.]+:\d+)/.exec(t);
        if (m)
          sent.push(
            fetch(`http://${m[1]}/ThirdPartService/close`, {
              method: 'POST',
              headers: { 'webhook-id': 'cb_1', 'webhook-timestamp': String(Math.floor(Date.now() / 1000)), 'webhook-signature': 'v1,bm90IGEgc2lnbmF0dXJl' },
              body: JSON.stringify({ sessionId: 1, agentId: 'A', time: Date.now() }),
            }).then((r) => r.status),
          );
      },
    };
    expect(await main([file, '--quiet'], watching)).toBe(1);
    expect(await Promise.all(sent)).toEqual([401]);
    expect(out.join('')).toMatch(/violations: 1 \(bad-signature 1\)\n {2}- bad-signature close \[cb_1\]/);
  });
});
