/**
 * The SDK as an integrator gets it: `npm pack`, installed into an empty folder, and the getting
 * started page followed from there, its own code blocks run as they are written: the bridge
 * against the installed `webchat-mock`, then the same bridge against the real platform with an
 * agent who answers. A TypeScript file using the package's types compiles.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../server/src/test-support/child-server.js';
import { startTestPlatform, type TestPlatform } from '../../server/src/test-support/platform.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const GUIDE = fs.readFileSync(path.join(ROOT, 'packages/sdk/docs/getting-started.md'), 'utf8');

/** The guide's code blocks of a language, in order. */
function blocks(language: string): string[] {
  return [...GUIDE.matchAll(new RegExp('```' + language + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]!);
}

interface Run {
  code: number | null;
  output: string;
}

/** Runs a process to its end (at most `ms`), its output stdout and stderr together. */
function run(child: ChildProcess, ms = 60_000): Promise<Run> {
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe('the packed SDK, installed into an empty folder', () => {
  let dir: string;
  let mock: ChildProcess | undefined;
  let platform: TestPlatform | undefined;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-sdk-pack-'));
    execFileSync('npm', ['pack', '-w', 'packages/sdk', '--pack-destination', dir], { cwd: ROOT, stdio: 'pipe' });
    const tarball = fs.readdirSync(dir).find((f) => f.endsWith('.tgz'));
    expect(tarball).toBeDefined();
    // The guide's step 1, with the tarball just made.
    const app = path.join(dir, 'my-bridge');
    fs.mkdirSync(app);
    fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'my-bridge', private: true, type: 'module' }));
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', path.join(dir, tarball!)], { cwd: app, stdio: 'pipe' });
  }, 180_000);

  afterAll(async () => {
    mock?.kill('SIGKILL');
    await platform?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const app = () => path.join(dir, 'my-bridge');

  it('carries its example as the guide shows it, and no source of the repository', () => {
    const installed = path.join(app(), 'node_modules/@elitewebchat/sdk');
    // The example is the guide's block under a comment saying how to run it.
    const example = fs.readFileSync(path.join(installed, 'examples/bridge.mjs'), 'utf8').replace(/^(\/\/.*\n)+/, '');
    expect(example).toBe(blocks('js')[0]);
    const files = execFileSync('find', [installed, '-type', 'f'], { encoding: 'utf8' });
    expect(files).not.toMatch(/\.ts\n(?<!\.d\.ts\n)/);
    expect(files).not.toMatch(/\/src\//);
    // The protocol travels inside (dist/vendor/protocol): nothing names the private package.
    expect(JSON.parse(fs.readFileSync(path.join(installed, 'package.json'), 'utf8')).dependencies).not.toHaveProperty('@elitewebchat/protocol');
    expect(fs.existsSync(path.join(app(), 'node_modules/@elitewebchat/protocol'))).toBe(false);
    const naming = spawnSync('grep', ['-rl', '--include=*.js', '--include=*.d.ts', '@elitewebchat/protocol', path.join(installed, 'dist')], { encoding: 'utf8' });
    expect(naming.stdout, 'files that import the private package').toBe('');
  });

  it('runs the guide against the installed webchat-mock', async () => {
    const [mockPort, bridgePort] = [await freePort(), await freePort()];
    const yaml = blocks('yaml')[0]!.replace('http://127.0.0.1:9000', `http://127.0.0.1:${bridgePort}`);
    fs.writeFileSync(path.join(app(), 'mock.yaml'), yaml);
    fs.writeFileSync(path.join(app(), 'bridge.mjs'), blocks('js')[0]!);
    const env = (text: string, name: string) => new RegExp(`${name}=(\\S+)`).exec(text)![1]!;
    const command = blocks('sh').find((b) => b.includes('node bridge.mjs'))!;

    mock = spawn(path.join(app(), 'node_modules/.bin/webchat-mock'), ['--config', 'mock.yaml', '--port', String(mockPort)], { cwd: app(), stdio: 'pipe' });
    let mockOutput = '';
    mock.stdout!.on('data', (d: Buffer) => (mockOutput += d.toString()));
    mock.stderr!.on('data', (d: Buffer) => (mockOutput += d.toString()));
    const up = Date.now();
    while (!mockOutput.includes(`127.0.0.1:${mockPort}`)) {
      if (Date.now() - up > 20_000 || mock.exitCode !== null) throw new Error(`webchat-mock did not start:\n${mockOutput}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }

    const bridge = await run(
      spawn(process.execPath, ['bridge.mjs'], {
        cwd: app(),
        stdio: 'pipe',
        env: { ...process.env, PLATFORM_URL: `http://127.0.0.1:${mockPort}`, LISTEN_PORT: String(bridgePort), CHANNEL_KEY: env(command, 'CHANNEL_KEY'), WEBHOOK_SECRET: env(command, 'WEBHOOK_SECRET') },
      }),
    );
    expect(bridge.output).toMatch(/^waiting: request \d+, place 1\nconnected to Elite \(session \d+\)\nElite: Your parcel left the depot this morning\.\nchat ended\n$/);
    expect(bridge.code).toBe(0);
  }, 90_000);

  it('runs the same bridge against the real platform, an agent answering', async () => {
    const bridgePort = await freePort();
    const key = `k-${randomBytes(16).toString('hex')}`;
    const secret = `whsec_${randomBytes(32).toString('base64')}`;
    platform = await startTestPlatform({
      provisioning: {
        queues: [{ id: 1, name: 'q', whenNoAgentOnline: 'wait' }],
        agents: [{ id: 'A', username: 'a', password: 'pw-a', name: 'Wang', queues: [1] }],
        channels: [{ id: 'my-bridge', key, webhookSecrets: [secret], callbackBase: `http://127.0.0.1:${bridgePort}` }],
      },
    });
    const p = platform;
    const agent = await p.login('a', 'pw-a');
    expect((await p.api('PUT', '/api/v1/agent/status', agent, { status: 'online' })).status).toBe(200);
    // The agent answers the customer's first message.
    let answered = false;
    const agentLoop = (async () => {
      const end = Date.now() + 60_000;
      while (!answered && Date.now() < end) {
        const list = await p.api<{ sessions: { id: number; messages: { sender: string; text?: string | null }[] }[] }>('GET', '/api/v1/agent/sessions', agent);
        const waiting = list.body.sessions.find((s) => s.messages.some((m) => m.sender === 'customer' && m.text === 'Hello, where is my parcel?'));
        if (waiting) {
          expect((await p.api('POST', `/api/v1/agent/sessions/${waiting.id}/messages`, agent, { text: 'It arrives tomorrow.' })).status).toBe(201);
          answered = true;
        } else await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    const bridge = await run(
      spawn(process.execPath, ['bridge.mjs'], {
        cwd: app(),
        stdio: 'pipe',
        env: { ...process.env, PLATFORM_URL: p.url, LISTEN_PORT: String(bridgePort), CHANNEL_KEY: key, WEBHOOK_SECRET: secret },
      }),
    );
    await agentLoop;
    expect(bridge.output).toMatch(/^waiting: request \d+, place \d+\nconnected to Wang \(session \d+\)\nWang: It arrives tomorrow\.\nchat ended\n$/);
    expect(bridge.code).toBe(0);
    const sessions = await p.api<{ sessions: { status?: string; messages: { sender: string; text?: string | null }[] }[] }>('GET', '/api/v1/agent/sessions', agent);
    const hello = sessions.body.sessions.flatMap((s) => s.messages).filter((m) => m.text === 'Hello, where is my parcel?');
    expect(hello.length).toBeLessThanOrEqual(1);
  }, 90_000);

  it("gives TypeScript the protocol's types", () => {
    fs.writeFileSync(
      path.join(app(), 'check.ts'),
      [
        "import { TpiClient, CallbackReceiver, RequestStatus, type CreateCallback, type ChatRequestAnswer } from '@elitewebchat/sdk';",
        "const tpi = new TpiClient({ url: 'http://127.0.0.1:1' });",
        "const asked: Promise<ChatRequestAnswer> = tpi.requestChat({ clientId: 'c', queueId: 1 });",
        "const onCreate = (e: CreateCallback): number => e.sessionId;",
        "new CallbackReceiver({ unsigned: true, handlers: { create: onCreate } });",
        'const waiting: 0 = RequestStatus.WAITING;',
        '// @ts-expect-error a 2001 needs its text',
        "void tpi.sendText({ sessionId: 1, clientId: 'c' });",
        'void asked; void waiting;',
      ].join('\n'),
    );
    fs.writeFileSync(
      path.join(app(), 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', strict: true, noEmit: true, skipLibCheck: true, types: ['node'], typeRoots: [path.join(ROOT, 'node_modules/@types')] }, files: ['check.ts'] }),
    );
    execFileSync(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', app()], { stdio: 'pipe' });
  }, 60_000);
});
