/**
 * The first run as a stranger has it, in real Chromium: the real server started on an empty
 * store with no provisioning file, the one-time password copied from its log, the console at /,
 * logging in as admin, choosing a password, the admin pages with the default queue, and a
 * second login with the chosen password that asks nothing more.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, openTab } from './support/browser.js';
import { SHOTS } from './support/console.js';
import { freePort, httpStatus, logLines, REPO, spawnGroup, waitFor, type Group } from './support/processes.js';

const MAIN_JS = path.join(REPO, 'packages/server/dist/main.js');
/** What `npm run reset-password --` runs once it has built the server. */
const RESET_JS = path.join(REPO, 'packages/server/dist/cli/reset-password.js');
const MY_PASSWORD = 'chosen-by-me-2024';

describe('first run', () => {
  let browser: Browser;
  let server: Group;
  let dataDir: string;
  let url: string;

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-first-run-'));
    const port = await freePort();
    // A stranger's shell: no WEBCHAT_CONFIG, no DATABASE_URL, nothing of the test runner's.
    const env: NodeJS.ProcessEnv = { PORT: String(port), DATA_DIR: dataDir };
    for (const name of ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ']) if (process.env[name] !== undefined) env[name] = process.env[name];
    server = spawnGroup(process.execPath, [MAIN_JS], { cwd: REPO, env });
    await waitFor(
      `the server to answer on port ${port}`,
      async () => {
        if (server.exited) throw new Error(`the server exited:\n${server.stdout()}\n${server.stderr()}`);
        return (await httpStatus(port, '/readyz')) === 200 ? true : undefined;
      },
      60_000,
      200,
    );
    url = `http://127.0.0.1:${port}`;
    browser = await launch();
  });

  afterAll(async () => {
    await browser?.close();
    if (server && !server.exited) {
      server.proc.kill('SIGTERM');
      await server.exit(20_000).catch(() => server.killGroup());
    }
    server?.killGroup();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  /** What the log says, as a person reads it: the line with the one-time password. */
  function oneTimePassword(): string {
    const shown = logLines(server.stdout()).flatMap((l) => {
      const m = /one-time password (\S+)/.exec(l.msg ?? '');
      return m ? [m[1]!] : [];
    });
    expect(shown, server.stdout()).toHaveLength(1);
    return shown[0]!;
  }

  async function logIn(page: Page, username: string, password: string): Promise<void> {
    await page.getByTestId('login-username').fill(username);
    await page.getByTestId('login-password').fill(password);
    await page.getByTestId('login-submit').click();
  }

  it('logs in with the password from the log, chooses a new one, and is in the console; the next login asks nothing', async () => {
    const oneTime = oneTimePassword();
    const { page, errors } = await openTab(browser);
    // Every call the page makes to the server, and whether it opened the live feed.
    const calls: string[] = [];
    page.on('request', (r) => {
      const u = new URL(r.url());
      if (u.pathname.startsWith('/api/') || u.pathname.startsWith('/socket.io')) calls.push(`${r.method()} ${u.pathname}`);
    });
    // The console opens its feed as a WebSocket first: not a request the page reports.
    page.on('websocket', (ws) => calls.push(`WEBSOCKET ${new URL(ws.url()).pathname}`));

    await page.goto(`${url}/`);
    await page.getByTestId('login-form').waitFor();
    expect(new URL(page.url()).pathname).toBe('/login');
    await logIn(page, 'admin', oneTime);

    const change = page.getByTestId('change-password-page');
    await change.waitFor();
    expect(await change.locator('h1').textContent()).toBe('设置您自己的密码');
    expect(await change.textContent()).toContain('“admin”');
    expect(await page.getByTestId('me').count()).toBe(0);
    // A reload keeps the login, and still asks for the password first.
    await page.reload();
    await change.waitFor();

    // A wrong current password: the server's refusal, said in Chinese.
    await page.getByTestId('change-password-current').fill('not-the-one-time-password');
    await page.getByTestId('change-password-new').fill(MY_PASSWORD);
    await page.getByTestId('change-password-repeat').fill(MY_PASSWORD);
    await page.getByTestId('change-password-submit').click();
    await expect.poll(() => page.getByTestId('change-password-error').textContent()).toBe('当前密码错误。');
    // Checked before asking the server: the two new ones differ; too short.
    await page.getByTestId('change-password-current').fill(oneTime);
    await page.getByTestId('change-password-repeat').fill(`${MY_PASSWORD}x`);
    await page.getByTestId('change-password-submit').click();
    await expect.poll(() => page.getByTestId('change-password-error').textContent()).toBe('两次输入的新密码不一致。');
    await page.getByTestId('change-password-new').fill('short');
    await page.getByTestId('change-password-repeat').fill('short');
    await page.getByTestId('change-password-submit').click();
    await expect.poll(() => page.getByTestId('change-password-error').textContent()).toBe('新密码至少需要 8 个字符。');

    // The shot without the error: the form as a stranger first fills it in.
    await page.reload();
    await change.waitFor();
    await page.getByTestId('change-password-current').fill(oneTime);
    await page.getByTestId('change-password-new').fill(MY_PASSWORD);
    await page.getByTestId('change-password-repeat').fill(MY_PASSWORD);
    await page.screenshot({ path: path.join(SHOTS, 'first-run-password.png') });

    // Until now: nothing but logging in, /me and the change; no live feed.
    const allowed = new Set(['POST /api/v1/agent/login', 'GET /api/v1/agent/me', 'POST /api/v1/agent/password']);
    expect(calls.filter((c) => !allowed.has(c))).toEqual([]);
    expect(calls).toContain('POST /api/v1/agent/password');

    await page.getByTestId('change-password-submit').click();
    await page.getByTestId('me').waitFor();
    await page.getByTestId('agent-page').waitFor();
    expect(await change.count()).toBe(0);
    expect(calls.some((c) => c.includes('/socket.io')), 'the live feed starts once the password is changed').toBe(true);

    // The admin pages list the queue the first start created.
    await page.getByTestId('nav-admin').click();
    await page.getByTestId('admin-nav-queues').click();
    const row = page.locator('[data-testid=admin-queue-row][data-queue-id="1"]');
    await row.waitFor();
    expect(await row.textContent()).toContain('默认队列 Default');
    expect(await page.locator('[data-testid=admin-queue-row]').count()).toBe(1);

    // Out, and in again with the chosen password: straight to the console.
    await page.getByTestId('logout').click();
    await page.getByTestId('login-form').waitFor();
    await logIn(page, 'admin', MY_PASSWORD);
    await page.getByTestId('me').waitFor();
    expect(await change.count()).toBe(0);
    expect(new URL(page.url()).pathname).toBe('/agent');

    // The one-time password is gone.
    await page.getByTestId('logout').click();
    await page.getByTestId('login-form').waitFor();
    await logIn(page, 'admin', oneTime);
    await expect.poll(() => page.getByTestId('login-error').textContent()).toBe('用户名或密码错误');

    // The two refusals the browser reports (401s); nothing else went wrong.
    expect(errors.filter((e) => !/status of 401/.test(e))).toEqual([]);
    await page.context().close();
  });

  it('after a reset from the command line, the new one-time password leads to the same page, which can also log out', async () => {
    const { page, errors } = await openTab(browser, { locale: 'en' });
    await page.goto(`${url}/login`);
    await page.getByTestId('language-switch').selectOption('en');
    await logIn(page, 'admin', MY_PASSWORD);
    await page.getByTestId('agent-page').waitFor();

    // What the log's line says to run, with the server's env.
    const reset = spawnGroup(process.execPath, [RESET_JS, 'admin'], { cwd: REPO, env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir } });
    expect((await reset.exit(30_000)).code, reset.stderr()).toBe(0);
    const again = /^The one-time password of "admin" is now: (\S+)$/m.exec(reset.stdout())?.[1];
    expect(again, reset.stdout()).toBeTruthy();
    // The next call the console makes is refused (the server's live feed is not told of a reset
    // made by another process): back to the login page, saying why.
    await page.getByTestId('status-select').selectOption('online');
    await page.getByTestId('login-ended').waitFor();

    await logIn(page, 'admin', again!);
    const change = page.getByTestId('change-password-page');
    await change.waitFor();
    expect(await change.locator('h1').textContent()).toBe('Choose your own password');
    await page.getByTestId('change-password-logout').click();
    await page.getByTestId('login-form').waitFor();
    expect(await change.count()).toBe(0);

    await logIn(page, 'admin', again!);
    await change.waitFor();
    await page.getByTestId('change-password-current').fill(again!);
    await page.getByTestId('change-password-new').fill(`${MY_PASSWORD}-2`);
    await page.getByTestId('change-password-repeat').fill(`${MY_PASSWORD}-2`);
    await page.getByTestId('change-password-submit').click();
    await page.getByTestId('agent-page').waitFor();
    expect(await page.getByTestId('me').textContent()).toBe('管理员');
    // The refused call after the reset is the browser's one 401 report; nothing else went wrong.
    expect(errors.filter((e) => !/status of 401/.test(e))).toEqual([]);
    await page.context().close();
  });
});
