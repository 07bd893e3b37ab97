/**
 * The README's walkthrough ("A first chat in five minutes") as a stranger runs it: its shell
 * blocks are taken from README.md and run with bash as written, against the server started with
 * the example provisioning file, twice on the same data. Only the ports change (8080 and 9001
 * become free ones, in the commands and in a copy of the example), so the test clashes with
 * nothing.
 *
 * Between the two runs the server is restarted (and the receiver the commands start is
 * stopped), as when someone follows the walkthrough again another day: the first block starts
 * the server, so a faithful second run starts it again. That also applies the example file a
 * second time to a used store, and the ids the platform answers are no longer 1.
 *
 * And every link of README.md and docs/*.md that is not a web address names a file of the
 * repository: nothing points to a place a user of the repository does not have.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fencedBlocks, linkTargets, section } from './support/markdown.js';
import { freePort, httpStatus, REPO, spawnGroup, waitFor, type Group } from './support/processes.js';

const README = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
const MAIN_JS = path.join(REPO, 'packages/server/dist/main.js');
const EXAMPLE = path.join(REPO, 'examples/webchat.yaml');

const SERVER_START_MS = 30_000;
const COMMANDS_MS = 45_000;
const CALLBACKS_MS = 15_000;
const STOP_MS = 20_000;

/** The sh blocks of the walkthrough: [start the server, the third party, the agent]. */
function walkthrough(): { start: string; commands: string } {
  const blocks = fencedBlocks(section(README, 'A first chat in five minutes'), 'sh');
  expect(blocks, 'three sh blocks: the start, the third party, the agent').toHaveLength(3);
  return { start: blocks[0]!.trim(), commands: `${blocks[1]}\n${blocks[2]}\n` };
}

/** Replaces every `from` in `text` with `to`, insisting that there was at least one. */
function substitute(text: string, from: string | RegExp, to: string, what: string): string {
  const pattern = typeof from === 'string' ? new RegExp(from.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'g') : from;
  expect(pattern.test(text), `${what} names ${String(from)}`).toBe(true);
  return text.replace(pattern, to);
}

interface RunResult {
  requestId: number;
  sessionId: number;
}

describe('README: a first chat in five minutes', () => {
  const groups: Group[] = [];
  let dataDir: string;
  let config: string;
  let port: number;
  let receiverPort: number;
  let server: Group | undefined;
  let commands: string;

  beforeAll(async () => {
    const steps = walkthrough();
    // The first block is how the test starts the server (the global setup has built it).
    expect(steps.start).toBe('WEBCHAT_CONFIG=examples/webchat.yaml npm start');
    port = await freePort();
    receiverPort = await freePort();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-readme-'));
    config = path.join(dataDir, 'webchat.yaml');
    fs.writeFileSync(config, substitute(fs.readFileSync(EXAMPLE, 'utf8'), 'http://127.0.0.1:9001', `http://127.0.0.1:${receiverPort}`, 'examples/webchat.yaml'));
    commands = substitute(steps.commands, /\blocalhost:8080\b/g, `localhost:${port}`, 'the commands');
    commands = substitute(commands, /\.listen\(9001\)/g, `.listen(${receiverPort})`, 'the commands');
    expect(commands).not.toMatch(/\b(8080|9001)\b/);
  });

  afterAll(() => {
    for (const g of groups.splice(0)) g.killGroup();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  async function startServer(): Promise<void> {
    const env: NodeJS.ProcessEnv = { ...process.env, WEBCHAT_CONFIG: config, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' };
    for (const name of ['NODE_ENV', 'DATABASE_URL', 'CONSOLE_DIR']) delete env[name];
    const g = spawnGroup(process.execPath, [MAIN_JS], { cwd: REPO, env });
    groups.push(g);
    server = g;
    await waitFor(
      'the server to be ready',
      async () => {
        if (g.exited) throw new Error(`the server exited:\n${g.stdout()}\n${g.stderr()}`);
        return (await httpStatus(port, '/readyz')) === 200 ? true : undefined;
      },
      SERVER_START_MS,
      200,
    );
  }

  async function stopServer(): Promise<void> {
    server!.proc.kill('SIGTERM');
    await server!.exit(STOP_MS);
  }

  /** Runs the commands with bash (stricter than a terminal: a failing command or an unset variable stops it). */
  async function runCommands(): Promise<RunResult> {
    const bash = spawnGroup('bash', ['-euo', 'pipefail', '-c', commands], { cwd: REPO, env: { ...process.env } });
    groups.push(bash);
    const output = () => `${bash.stdout()}\n--- stderr ---\n${bash.stderr()}`;
    let exit: { code: number | null; signal: NodeJS.Signals | null };
    try {
      exit = await bash.exit(COMMANDS_MS);
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${output()}`, { cause: error });
    }
    expect(exit, output()).toEqual({ code: 0, signal: null });

    // The 1000 answer, echoed on its own line.
    const answerLine = bash.stdout().split('\n').find((line) => line.startsWith('{"result"') && line.includes('"requestId"'));
    expect(answerLine, output()).toBeDefined();
    const answer = JSON.parse(answerLine!) as { result: number; message: string; requestId: number; queueLength: number };
    expect(answer, output()).toMatchObject({ result: 1, message: 'success', queueLength: 1 });

    // The agent's open chats, echoed (after the status answer, which ends without a newline).
    const sessionsAt = bash.stdout().indexOf('{"sessions":');
    expect(sessionsAt, output()).toBeGreaterThanOrEqual(0);
    const sessionsText = bash.stdout().slice(sessionsAt).split('\n')[0]!;
    const { sessions } = JSON.parse(sessionsText) as { sessions: Array<{ id: number; requestId: number; clientId: string; messages: Array<{ sender: string; kind: string; text?: string }> }> };
    const mine = sessions.find((s) => s.requestId === answer.requestId);
    expect(mine, sessionsText).toBeDefined();
    expect(mine!.clientId).toBe('wx-001');
    expect(mine!.messages[0], 'the pre-message first').toMatchObject({ sender: 'customer', kind: 'pre', text: '你好 /::)' });

    // The receiver the commands started prints each callback: path and body. Callbacks are sent
    // after the answers, so wait for the last one.
    const callbacks = await waitFor(
      'the receiver to print /ThirdPartService/close',
      () => {
        const seen = [...bash.stdout().matchAll(/\/ThirdPartService\/(\w+) (\{.*\})$/gm)].map((m) => ({ name: m[1]!, body: JSON.parse(m[2]!) as Record<string, unknown> }));
        return seen.some((c) => c.name === 'close' && c.body.sessionId === mine!.id) ? seen : undefined;
      },
      CALLBACKS_MS,
    );
    const forSession = callbacks.filter((c) => c.body.sessionId === mine!.id);
    expect(forSession.map((c) => c.name), output()).toEqual(['create', 'msg', 'close']);
    expect(forSession[0]!.body).toMatchObject({ result: 1, agentId: 'SBOB', clientId: 'wx-001' });
    expect(forSession[1]!.body).toMatchObject({ agentId: 'SBOB', content: '您好 /::) 请问有什么可以帮您？', type: 'text' });
    expect(forSession[2]!.body).toMatchObject({ agentId: 'SBOB', clientId: 'wx-001' });

    // The receiver (a background job of the commands) is still listening: stop it, as a user
    // would close that terminal, so the next run can listen on the same port.
    bash.killGroup();
    await waitFor('the receiver to be gone', () => (bash.groupAlive() ? undefined : true), 5_000);
    return { requestId: answer.requestId, sessionId: mine!.id };
  }

  it(
    'works as written, and again on the same data after a restart',
    async () => {
      await startServer();
      const first = await runCommands();
      await stopServer();

      await startServer();
      const second = await runCommands();
      await stopServer();

      expect(second.requestId).toBeGreaterThan(first.requestId);
      expect(second.sessionId).toBeGreaterThan(first.sessionId);
    },
    2 * (SERVER_START_MS + COMMANDS_MS + CALLBACKS_MS + STOP_MS),
  );
});

describe('links', () => {
  const files = ['README.md', ...fs.readdirSync(path.join(REPO, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

  it.each(files)('every link of %s that is not a web address names a file of the repository', (file) => {
    const targets = linkTargets(fs.readFileSync(path.join(REPO, file), 'utf8'));
    if (file === 'README.md') expect(targets).toContain('examples/webchat.yaml');
    const broken: string[] = [];
    for (const target of targets) {
      if (/^(https?:|mailto:)/i.test(target) || target.startsWith('#')) continue;
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) {
        broken.push(`${target}: not a web address and not a file`);
        continue;
      }
      const resolved = path.resolve(path.dirname(path.join(REPO, file)), decodeURIComponent(target.split('#')[0]!));
      const relative = path.relative(REPO, resolved);
      if (relative.startsWith('..') || path.isAbsolute(relative)) broken.push(`${target}: outside the repository`);
      else if (!fs.existsSync(resolved)) broken.push(`${target}: no such file`);
    }
    expect(broken).toEqual([]);
  });

  it('README.md names no path outside the repository, linked or not', () => {
    expect(README).not.toMatch(/\.\.\//);
  });
});
