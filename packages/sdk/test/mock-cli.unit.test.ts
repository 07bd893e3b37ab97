/**
 * The webchat-mock command: options, the YAML file (checked with messages naming the field), and
 * the built bin as a real process that prints its URL and stops on SIGTERM.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TpiClient } from '../src/client.js';
import { startFromArgs } from '../src/mock/cli.js';
import { resolveConfig, type RunningMock } from '../src/mock/index.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'webchat-mock-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) } };
}

const YAML = `
channels:
  - id: wechat
    key: a-long-enough-channel-key-123
    callbackBase: http://127.0.0.1:9/cb
agents:
  - { id: A1, name: Ann, alias: Ann Lee, icon: "", comments: "" }
queues:
  - id: 3
    agentId: A1
    acceptAfterSeconds: 5
    greeting:
      - Hello!
      - { afterSeconds: 1, text: How can I help? }
`;

describe('webchat-mock options', () => {
  it('starts with --config, --port 0 and --host; the file decides channels and queues', async () => {
    const file = join(dir, 'mock.yaml');
    await writeFile(file, YAML);
    const { io: cliIo, err } = io();
    const running = (await startFromArgs(['--config', file, '--port', '0', '--host', '127.0.0.1'], cliIo)) as RunningMock;
    try {
      expect(err).toEqual([]);
      expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const client = new TpiClient({ url: running.url, key: 'a-long-enough-channel-key-123' });
      expect(await client.requestChat({ clientId: 'c', queueId: 3 })).toMatchObject({ result: 1, queueLength: 1 });
      expect(await client.raw({ type: 1000, clientId: 'd', queueId: 1 })).toMatchObject({ result: -7 });
    } finally {
      await running.close();
    }
  });

  it('--help prints the usage; a bad option, file or field is an error that says which', async () => {
    const help = io();
    expect(await startFromArgs(['--help'], help.io)).toBe(0);
    expect(help.out.join('\n')).toMatch(/--config <file>/);

    const badOption = io();
    expect(await startFromArgs(['--nope'], badOption.io)).toBe(2);
    expect(badOption.err.join('\n')).toMatch(/nope/);

    const missing = io();
    expect(await startFromArgs(['--config', join(dir, 'absent.yaml')], missing.io)).toBe(2);

    const file = join(dir, 'bad.yaml');
    await writeFile(file, 'queues:\n  - id: 1\n    acceptAfterSecond: 2\n');
    const bad = io();
    expect(await startFromArgs(['--config', file, '--port', '0'], bad.io)).toBe(1);
    expect(bad.err.join('\n')).toMatch(/\/queues\/0/);
  });
});

describe('docs/mock.md', () => {
  it("its example file is a valid configuration", async () => {
    const doc = await readFile(join(root, 'packages/sdk/docs/mock.md'), 'utf8');
    const example = /```yaml\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(example).toBeDefined();
    const config = resolveConfig(parseYaml(example!));
    expect(config.queues.map((q) => q.id)).toEqual([1, 2, 3, 4]);
    expect(config.channels[0]!.webhookSecrets).toHaveLength(1);
  });
});

describe('the webchat-mock bin', () => {
  it('prints its URL, serves the TPI and stops on SIGTERM', { timeout: 60_000 }, async () => {
    // Built into a folder of its own: the package's dist/ may be rebuilt or packed meanwhile by
    // another test. Under node_modules/.cache, so that its imports resolve as the package's do.
    await mkdir(join(root, 'node_modules/.cache'), { recursive: true });
    const out = await mkdtemp(join(root, 'node_modules/.cache/webchat-mock-bin-'));
    const tsc = join(root, 'node_modules/typescript/bin/tsc');
    await promisify(execFile)(process.execPath, [tsc, '-p', 'packages/sdk/tsconfig.json', '--outDir', out, '--composite', 'false', '--declaration', 'false', '--incremental', 'false', '--sourceMap', 'false'], { cwd: root });
    const child = spawn(process.execPath, [join(out, 'cli/mock.js'), '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let output = '';
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          const match = /listening on (http:\/\/\S+)/.exec(output);
          if (match) resolve(match[1]!);
        });
        child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
        child.once('exit', (code) => reject(new Error(`exited ${code}: ${output}`)));
      });
      const answer = await new TpiClient({ url }).raw({ type: 1001, requestId: 1 });
      expect(answer).toMatchObject({ result: -10 });
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await rm(out, { recursive: true, force: true });
    }
  });
});
