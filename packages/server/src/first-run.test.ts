/**
 * A first run as a stranger has it: the real server (`node dist/main.js`) on an empty store,
 * the one-time password read from its log as a person reads it, everything else through HTTP;
 * restarts on the same store; a provisioning file that brings its own administrator; and
 * `npm run reset-password`'s program run the way that script runs it, with the server's env.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AdminAgents, AdminQueues, AgentView, ErrorView, LoginAnswer } from '@elitewebchat/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort, startChildServer, type ChildServer } from './test-support/child-server.js';
import { freshStore, type TestStore } from './test-support/stores.js';

const REPO = fileURLToPath(new URL('../../..', import.meta.url));
const RESET_JS = 'packages/server/dist/cli/reset-password.js';
const DEFAULT_QUEUE_NAME = '默认队列 Default';
/** What the first administrator may do before choosing a password. */
const ALLOWED = ['GET /api/v1/agent/me', 'POST /api/v1/agent/password', 'POST /api/v1/agent/logout'];
const MY_PASSWORD = 'my-own-password-1';
/** Each test starts the real server one to three times: a few seconds each on a busy machine. */
const TIMEOUT_MS = 120_000;

interface Answer<T> {
  status: number;
  body: T;
}

type LogLine = Record<string, unknown> & { level?: number; msg?: string };

/** The pino JSON lines of a process's output. */
function logLines(output: string): LogLine[] {
  return output.split('\n').flatMap((line) => {
    if (!line.startsWith('{')) return [];
    try {
      return [JSON.parse(line) as LogLine];
    } catch {
      return [];
    }
  });
}

/** The one-time passwords the log shows, as a person would copy them. */
function oneTimePasswords(output: string): { line: LogLine; password: string }[] {
  return logLines(output).flatMap((line) => {
    const m = /one-time password (\S+)/.exec(line.msg ?? '');
    return m ? [{ line, password: m[1]! }] : [];
  });
}

function occurrences(text: string, part: string): number {
  return text.split(part).length - 1;
}

async function call<T = Record<string, unknown>>(server: ChildServer, method: string, urlPath: string, token?: string, body?: unknown): Promise<Answer<T>> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(server.url + urlPath, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}), signal: AbortSignal.timeout(15_000) });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
}

const login = (server: ChildServer, username: string, password: string) => call<LoginAnswer & ErrorView>(server, 'POST', '/api/v1/agent/login', undefined, { username, password });

async function tokenOf(server: ChildServer, username: string, password: string): Promise<LoginAnswer> {
  const res = await login(server, username, password);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

const changePassword = (server: ChildServer, token: string, currentPassword: string, newPassword: string) =>
  call<ErrorView | null>(server, 'POST', '/api/v1/agent/password', token, { currentPassword, newPassword });

const me = (server: ChildServer, token: string) => call<AgentView>(server, 'GET', '/api/v1/agent/me', token);

/** A few routes of each kind, with a body that would be valid. */
const SAMPLE_ROUTES: [string, string, unknown?][] = [
  ['PUT', '/api/v1/agent/status', { status: 'online' }],
  ['GET', '/api/v1/agent/sessions'],
  ['GET', '/api/v1/agent/queues'],
  ['POST', '/api/v1/agent/canned-replies', { shortcut: 'hi', text: 'Hello' }],
  ['GET', '/api/v1/admin/queues'],
  ['POST', '/api/v1/admin/queues', { id: 7, name: 'made with a one-time password' }],
  ['GET', '/api/v1/admin/agents'],
  ['GET', '/api/v1/supervisor/board'],
];

/** Every agent, supervisor and admin operation /docs describes, path parameters filled in. */
async function everyApiOperation(server: ChildServer): Promise<[string, string][]> {
  const res = await fetch(`${server.url}/docs/json`);
  const doc = (await res.json()) as { paths: Record<string, Record<string, unknown>> };
  return Object.entries(doc.paths)
    .filter(([p]) => p.startsWith('/api/v1/'))
    .flatMap(([p, methods]) => Object.keys(methods).map((m): [string, string] => [m.toUpperCase(), p.replace(/\{[^}]+\}/g, '1')]));
}

/** Runs the program of `npm run reset-password` as that script does, with the env the server has. */
async function resetPassword(store: TestStore, ...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const proc = spawn(process.execPath, [RESET_JS, ...args], {
    cwd: REPO,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...store.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  proc.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const code = await new Promise<number | null>((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`reset-password ${args.join(' ')} did not exit within 20 s:\n${stdout}\n${stderr}`));
    }, 20_000);
    proc.once('exit', (c) => {
      clearTimeout(timer);
      resolve(c);
    });
  });
  return { code, stdout, stderr };
}

describe('first run', () => {
  const servers: ChildServer[] = [];
  const stores: TestStore[] = [];

  afterEach(async () => {
    for (const s of servers.splice(0)) await s.stop();
    for (const s of stores.splice(0)) await s.drop();
  });

  async function store(): Promise<TestStore> {
    const s = await freshStore();
    stores.push(s);
    return s;
  }

  /** The real server on the store, as `npm start` runs it: the default log level, a port of its own. */
  async function start(s: TestStore, env: Record<string, string> = {}): Promise<ChildServer & { startOutput: string }> {
    const server = await startChildServer({ port: await freePort(), env: { ...s.env, ...env }, readyTimeoutMs: 60_000 });
    servers.push(server);
    // What it said while starting, before request lines could push it out of the kept output.
    return Object.assign(server, { startOutput: server.output() });
  }

  /** The one password of the first start's log, checked to be shown exactly once. */
  function thePassword(server: { startOutput: string }): string {
    const shown = oneTimePasswords(server.startOutput);
    expect(shown, server.startOutput).toHaveLength(1);
    const { line, password } = shown[0]!;
    expect(line.level, 'a warning: it must be seen').toBe(40);
    expect(line.username).toBe('admin');
    expect(line.msg).toContain('"admin"');
    expect(password.length).toBeGreaterThanOrEqual(16);
    expect(occurrences(server.startOutput, password), 'the password is printed once').toBe(1);
    return password;
  }

  it('creates the administrator "admin" and the default queue, and logs the one-time password once', async () => {
    const s = await store();
    const server = await start(s);
    const password = thePassword(server);
    expect(logLines(server.startOutput).some((l) => l.msg?.includes(`"${DEFAULT_QUEUE_NAME}"`) && l.queueId === 1)).toBe(true);

    const { token, agent } = await tokenOf(server, 'admin', password);
    expect(agent).toMatchObject({ username: 'admin', role: 'admin', queueIds: [1], status: 'offline', mustChangePassword: true });
    expect(await me(server, token)).toMatchObject({ status: 200, body: { username: 'admin', role: 'admin', mustChangePassword: true } });

    expect((await changePassword(server, token, password, MY_PASSWORD)).status).toBe(204);
    const queues = await call<AdminQueues>(server, 'GET', '/api/v1/admin/queues', token);
    expect(queues.status).toBe(200);
    expect(queues.body.queues).toEqual([expect.objectContaining({ id: 1, name: DEFAULT_QUEUE_NAME, hours: null, whenNoAgentOnline: 'wait', enabled: true, agentIds: [agent.id] })]);
    const agents = await call<AdminAgents>(server, 'GET', '/api/v1/admin/agents', token);
    expect(agents.body.agents).toEqual([expect.objectContaining({ id: agent.id, username: 'admin', role: 'admin', enabled: true, queueIds: [1] })]);
    // The admin's queue is open with nobody online: a customer's request waits in it.
    expect((await call<{ queues: { id: number; waiting: number }[] }>(server, 'GET', '/api/v1/agent/queues', token)).body.queues).toEqual([
      { id: 1, name: DEFAULT_QUEUE_NAME, waiting: 0 },
    ]);
  }, TIMEOUT_MS);

  it('with the one-time password allows only /me, changing it and logging out, until it is changed', async () => {
    const s = await store();
    const server = await start(s);
    const password = thePassword(server);
    const { token } = await tokenOf(server, 'admin', password);
    // Logging out is allowed too.
    const other = await tokenOf(server, 'admin', password);
    expect((await call(server, 'POST', '/api/v1/agent/logout', other.token)).status).toBe(204);
    expect((await me(server, other.token)).status).toBe(401);

    const operations = await everyApiOperation(server);
    // The web chat's API is the customers', not the agents': a visitor token, not this one; the
    // bridge API takes a bridge's key (X-Bridge-Key), never an agent's token.
    const guarded = operations.filter(([m, p]) => p !== '/api/v1/agent/login' && !p.startsWith('/api/v1/webchat/') && !p.startsWith('/api/v1/bridge/') && !ALLOWED.includes(`${m} ${p}`));
    expect(guarded.length, 'the /docs routes were read').toBeGreaterThan(20);
    for (const [m, p] of SAMPLE_ROUTES.map(([sm, sp]): [string, string] => [sm, sp])) expect(guarded).toContainEqual([m, p]);
    const answers = new Map<string, Answer<unknown>>();
    for (const [m, p, body] of SAMPLE_ROUTES) answers.set(`${m} ${p} (valid body)`, await call(server, m, p, token, body));
    for (const [m, p] of guarded) answers.set(`${m} ${p}`, await call(server, m, p, token, ['POST', 'PUT'].includes(m) ? {} : undefined));
    const refused = (a: Answer<unknown>) => a.status === 403 && (a.body as ErrorView | null)?.error?.code === 'PASSWORD_CHANGE_REQUIRED';
    expect([...answers].filter(([, a]) => !refused(a)).map(([what, a]) => `${what}: ${a.status} ${JSON.stringify(a.body)}`)).toEqual([]);
    expect((answers.get('GET /api/v1/admin/queues') as Answer<ErrorView>).body.error.message).toMatch(/password/);

    // /me works and says so; a wrong current password, a short one and the same one are refused.
    expect(await me(server, token)).toMatchObject({ status: 200, body: { mustChangePassword: true, status: 'offline' } });
    expect(await changePassword(server, token, 'not-the-password', MY_PASSWORD)).toMatchObject({ status: 401, body: { error: { code: 'BAD_CREDENTIALS' } } });
    expect((await changePassword(server, token, password, 'short')).status).toBe(400);
    expect(await changePassword(server, token, password, password)).toMatchObject({ status: 400, body: { error: { message: expect.stringMatching(/differ/) as unknown } } });
    expect((await me(server, token)).body.mustChangePassword).toBe(true);
    expect((await call(server, 'GET', '/api/v1/agent/sessions', token)).status).toBe(403);

    expect(await changePassword(server, token, password, MY_PASSWORD)).toEqual({ status: 204, body: null });
    expect(await me(server, token)).toMatchObject({ status: 200, body: { mustChangePassword: false, status: 'offline' } });
    // Nothing that was refused happened.
    expect((await call<AdminQueues>(server, 'GET', '/api/v1/admin/queues', token)).body.queues.map((q) => q.id)).toEqual([1]);
    expect((await call<{ replies: unknown[] }>(server, 'GET', '/api/v1/agent/canned-replies', token)).body.replies).toEqual([]);
    // The same token now opens everything.
    expect(await call(server, 'PUT', '/api/v1/agent/status', token, { status: 'online' })).toMatchObject({ status: 200, body: { status: 'online', mustChangePassword: false } });
    for (const p of ['/api/v1/agent/sessions', '/api/v1/agent/queues', '/api/v1/admin/queues', '/api/v1/admin/agents', '/api/v1/supervisor/board']) {
      expect((await call(server, 'GET', p, token)).status, p).toBe(200);
    }

    expect(await login(server, 'admin', password)).toMatchObject({ status: 401, body: { error: { code: 'BAD_CREDENTIALS' } } });
    const again = await tokenOf(server, 'admin', MY_PASSWORD);
    expect(again.agent.mustChangePassword).toBe(false);
    expect((await call(server, 'GET', '/api/v1/admin/agents', again.token)).status).toBe(200);
    expect((await call(server, 'POST', '/api/v1/agent/logout', again.token)).status).toBe(204);
  }, TIMEOUT_MS);

  it('a restart on the same store creates nothing and prints no password', async () => {
    const s = await store();
    const first = await start(s);
    const password = thePassword(first);
    await first.stop();
    expect(first.proc.exitCode).toBe(0);

    const second = await start(s);
    expect(oneTimePasswords(second.startOutput)).toEqual([]);
    expect(second.startOutput).not.toContain(password);
    expect(logLines(second.startOutput).filter((l) => l.msg?.startsWith('first start'))).toEqual([]);
    // The administrator of the first start, password untouched and still to be changed.
    const { token, agent } = await tokenOf(second, 'admin', password);
    expect(agent.mustChangePassword).toBe(true);
    expect((await changePassword(second, token, password, MY_PASSWORD)).status).toBe(204);
    expect((await call<AdminAgents>(second, 'GET', '/api/v1/admin/agents', token)).body.agents.map((a) => a.username)).toEqual(['admin']);
    expect((await call<AdminQueues>(second, 'GET', '/api/v1/admin/queues', token)).body.queues.map((q) => q.name)).toEqual([DEFAULT_QUEUE_NAME]);
    await second.stop();

    const third = await start(s);
    expect(oneTimePasswords(third.startOutput)).toEqual([]);
    expect(logLines(third.startOutput).filter((l) => l.msg?.startsWith('first start'))).toEqual([]);
    expect((await tokenOf(third, 'admin', MY_PASSWORD)).agent.mustChangePassword).toBe(false);
  }, TIMEOUT_MS);

  it('a provisioning file with an enabled administrator means no bootstrap administrator, and its queues no default queue', async () => {
    const s = await store();
    const file = path.join(s.dataDir, 'webchat.yaml');
    fs.writeFileSync(
      file,
      [
        'queues:',
        '  - { id: 5, name: Sales, whenNoAgentOnline: wait }',
        'agents:',
        '  - { id: BOSS, username: boss, password: boss-password, name: Boss, role: admin, queues: [5] }',
        '',
      ].join('\n'),
    );
    const server = await start(s, { WEBCHAT_CONFIG: file });
    expect(oneTimePasswords(server.startOutput)).toEqual([]);
    // Only the web chat, which the file does not set up, comes from the first start.
    expect(logLines(server.startOutput).filter((l) => l.msg?.startsWith('first start')).map((l) => l.msg)).toEqual(['first start: created the web chat channel "web": customers chat at /chat/web']);

    const { token, agent } = await tokenOf(server, 'boss', 'boss-password');
    expect(agent.mustChangePassword).toBe(false);
    expect((await call<AdminAgents>(server, 'GET', '/api/v1/admin/agents', token)).body.agents.map((a) => a.username)).toEqual(['boss']);
    expect((await call<AdminQueues>(server, 'GET', '/api/v1/admin/queues', token)).body.queues.map((q) => q.id)).toEqual([5]);
  }, TIMEOUT_MS);

  it('a provisioning file without an enabled administrator still gets one, under a free username, in its queues', async () => {
    const s = await store();
    const file = path.join(s.dataDir, 'webchat.yaml');
    fs.writeFileSync(
      file,
      [
        'queues:',
        '  - { id: 3, name: Support }',
        'agents:',
        '  - { id: A1, username: admin, password: agent-password, name: An agent, queues: [3] }',
        '  - { id: OLD, username: old-boss, password: old-password, name: Old boss, role: admin, enabled: false }',
        '',
      ].join('\n'),
    );
    const server = await start(s, { WEBCHAT_CONFIG: file });
    const shown = oneTimePasswords(server.startOutput);
    expect(shown).toHaveLength(1);
    expect(shown[0]!.line.username).toBe('admin2');
    const { token, agent } = await tokenOf(server, 'admin2', shown[0]!.password);
    expect(agent).toMatchObject({ role: 'admin', queueIds: [3], mustChangePassword: true });
    expect((await call(server, 'GET', '/api/v1/admin/agents', token)).status).toBe(403);
    expect((await changePassword(server, token, shown[0]!.password, MY_PASSWORD)).status).toBe(204);
    expect((await call<AdminQueues>(server, 'GET', '/api/v1/admin/queues', token)).body.queues.map((q) => q.id)).toEqual([3]);
    // The agent called "admin" is left as the file made it.
    expect((await tokenOf(server, 'admin', 'agent-password')).agent).toMatchObject({ role: 'agent', mustChangePassword: false });
  }, TIMEOUT_MS);

  it('npm run reset-password gives a new one-time password, ends the sessions, and refuses an unknown username', async () => {
    const script = (JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts['reset-password'];
    expect(script, 'the root package.json has the reset-password script').toMatch(new RegExp(`&& node ${RESET_JS.replaceAll('.', '\\.')}$`));

    const s = await store();
    const server = await start(s);
    const first = thePassword(server);
    const { token: firstToken } = await tokenOf(server, 'admin', first);
    expect((await changePassword(server, firstToken, first, MY_PASSWORD)).status).toBe(204);
    const { token: mine } = await tokenOf(server, 'admin', MY_PASSWORD);
    expect((await call(server, 'GET', '/api/v1/admin/agents', mine)).status).toBe(200);

    // While the server runs, on its store.
    const reset = await resetPassword(s, 'admin');
    expect(reset.code, reset.stderr).toBe(0);
    const m = /^The one-time password of "admin" is now: (\S+)$/m.exec(reset.stdout);
    expect(m, reset.stdout).not.toBeNull();
    const second = m![1]!;
    expect(second).not.toBe(first);
    expect(occurrences(reset.stdout, second)).toBe(1);

    // Every session of theirs ended; neither earlier password works.
    expect(await me(server, mine)).toMatchObject({ status: 401, body: { error: { code: 'UNAUTHENTICATED' } } });
    expect((await me(server, firstToken)).status).toBe(401);
    expect((await login(server, 'admin', MY_PASSWORD)).status).toBe(401);
    expect((await login(server, 'admin', first)).status).toBe(401);

    // The new one logs in, and must be changed before anything else.
    const { token, agent } = await tokenOf(server, 'admin', second);
    expect(agent.mustChangePassword).toBe(true);
    expect(await call(server, 'GET', '/api/v1/admin/agents', token)).toMatchObject({ status: 403, body: { error: { code: 'PASSWORD_CHANGE_REQUIRED' } } });
    expect(await call(server, 'GET', '/api/v1/supervisor/board', token)).toMatchObject({ status: 403, body: { error: { code: 'PASSWORD_CHANGE_REQUIRED' } } });
    expect((await changePassword(server, token, second, 'my-own-password-2')).status).toBe(204);
    expect((await call(server, 'GET', '/api/v1/admin/agents', token)).status).toBe(200);
    expect((await login(server, 'admin', second)).status).toBe(401);
    expect((await tokenOf(server, 'admin', 'my-own-password-2')).agent.mustChangePassword).toBe(false);

    const unknown = await resetPassword(s, 'nobody');
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('no agent with the username "nobody"');
    expect(unknown.stdout).not.toMatch(/one-time password/);
    const usage = await resetPassword(s);
    expect(usage.code).not.toBe(0);
    expect(usage.stderr).toMatch(/usage: npm run reset-password -- <username>/);
    // Neither touched the administrator.
    expect((await tokenOf(server, 'admin', 'my-own-password-2')).agent.mustChangePassword).toBe(false);
  }, TIMEOUT_MS);
});
