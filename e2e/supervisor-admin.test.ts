/** Supervisors watch the board and any chat; administrators set up a queue that is used at once. */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, openTab } from './support/browser.js';
import { login, SHOTS } from './support/console.js';
import { PASSWORD, startWorld, type World } from './support/platform.js';

describe('supervisor and admin views', () => {
  let browser: Browser;
  let w: World;

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    browser = await launch();
    w = await startWorld();
  });

  afterAll(async () => {
    await browser?.close();
    await w?.close();
  });

  it('shows the supervisor live counts and lets them watch a chat read-only', async () => {
    const agent = await w.p.login('elite', PASSWORD);
    await w.p.api('PUT', '/api/v1/agent/status', agent, { status: 'online' });
    await w.p.tpi({ type: 1000, clientId: 'c-1', nickname: '王先生', queueId: 1, from: 'MOBILE' });
    const sessionId = (await w.tp.waitFor(() => w.tp.ofName('create')[0])).body.sessionId as number;
    await w.p.tpi({ type: 2001, sessionId, clientId: 'c-1', text: '我的快递到哪了？' });
    await w.p.api('PUT', '/api/v1/agent/status', agent, { status: 'away' });
    await w.p.tpi({ type: 1000, clientId: 'c-2', nickname: '赵女士', queueId: 2, from: 'APP' });

    const { page, errors } = await openTab(browser);
    await login(page, w.p.url, 'sup');
    await page.goto(`${w.p.url}/supervisor`);
    await page.getByTestId('supervisor-page').waitFor();
    const waiting = page.locator('[data-testid=board-queue-row][data-queue-id="2"] [data-testid=board-queue-waiting]');
    await expect.poll(() => waiting.textContent()).toContain('1');
    await expect.poll(() => page.locator('[data-testid=board-agent-row][data-agent-id="SELITE"]').getAttribute('data-status')).toBe('away');
    // Live: another customer queues and the board follows without a reload.
    await w.p.tpi({ type: 1000, clientId: 'c-3', queueId: 2 });
    await expect.poll(() => waiting.textContent(), { timeout: 10_000 }).toContain('2');
    await page.screenshot({ path: path.join(SHOTS, 'supervisor-board.png') });

    await page.locator(`[data-testid=board-session-row][data-session-id="${sessionId}"] [data-testid=watch-button]`).click();
    const watch = page.getByTestId('watch-view');
    await expect.poll(() => watch.getAttribute('data-watch-state')).toBe('watching');
    await w.p.tpi({ type: 2001, sessionId, clientId: 'c-1', text: '还在吗？' });
    await expect.poll(() => watch.locator('[data-testid=message]').allTextContents()).toEqual(
      expect.arrayContaining([expect.stringContaining('还在吗？')]),
    );
    expect(await watch.getByTestId('composer-input').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('lets an admin create a queue with an agent that the TPI uses at once', async () => {
    const { page, errors } = await openTab(browser);
    await login(page, w.p.url, 'admin');
    await page.goto(`${w.p.url}/admin/queues`);
    await page.getByTestId('admin-queues').waitFor();
    await page.getByTestId('queue-new').click();
    const form = page.getByTestId('queue-form');
    await form.getByTestId('queue-id').fill('9');
    await form.getByTestId('queue-name').fill('VIP 专线');
    await form.getByTestId('queue-policy').selectOption('wait');
    await form.locator('[data-testid=queue-agents] [data-agent-id="SELITE"]').check();
    await form.getByTestId('queue-save').click();
    await page.locator('[data-testid=admin-queue-row][data-queue-id="9"]').waitFor();
    // The list with the new queue, not the end of the long form the save button left in view.
    await page.evaluate(() => {
      for (const el of document.querySelectorAll('*')) if (el.scrollTop > 0) el.scrollTop = 0;
    });
    await page.screenshot({ path: path.join(SHOTS, 'admin-queues.png') });

    const answer = await w.p.tpi({ type: 1000, clientId: 'vip-1', queueId: 9 });
    expect(answer).toMatchObject({ result: 1, queueLength: 1 });
    const agent = await w.p.login('elite', PASSWORD);
    const queues = await w.p.api<{ queues: { id: number; waiting: number }[] }>('GET', '/api/v1/agent/queues', agent);
    expect(queues.body.queues).toContainEqual(expect.objectContaining({ id: 9, waiting: 1 }));
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('loads the admin pages only when opened, and says so with a reload when their code cannot be loaded', async () => {
    const { page } = await openTab(browser);
    const loaded: string[] = [];
    page.on('request', (r) => void loaded.push(new URL(r.url()).pathname));
    // As after an update of the console while this tab was open: the old page's file is gone.
    let gone = true;
    await page.route(/\/assets\/AdminPage-[^/]+\.js$/, (route) => (gone ? route.fulfill({ status: 404, body: 'not found' }) : route.continue()));
    await login(page, w.p.url, 'admin');
    await page.getByTestId('agent-page').waitFor();
    expect(loaded.filter((p) => /AdminPage|SupervisorPage/.test(p))).toEqual([]);
    await page.getByRole('link', { name: /管理|Admin/ }).click();
    const failed = page.getByTestId('page-load-failed');
    await failed.waitFor();
    expect(await failed.textContent()).toContain('无法加载此页面');
    gone = false;
    await failed.getByRole('button').click();
    await page.getByTestId('admin-queues').waitFor();
    await page.context().close();
  });

  it('lets an admin add an agent (a taken ID refused with the reason), edit it, and reset a password the agent then logs in with', async () => {
    const { page, errors } = await openTab(browser);
    await login(page, w.p.url, 'admin');
    await page.goto(`${w.p.url}/admin/agents`);
    await page.getByTestId('admin-agents').waitFor();
    await page.getByTestId('agent-new').click();
    const form = page.getByTestId('agent-form');
    await form.getByTestId('agent-id').fill('SELITE');
    await form.getByTestId('agent-username').fill('newbie');
    await form.getByTestId('agent-password').fill('first-password-1');
    await form.getByTestId('agent-name').fill('新坐席');
    await form.getByTestId('agent-save').click();
    await expect.poll(() => form.getByTestId('error').textContent()).toContain('agent SELITE already exists');
    expect(await form.locator('.ok-text').count()).toBe(0);
    expect((await w.p.login('newbie', 'first-password-1').catch((e: Error) => e.message))).toContain('login failed');

    await form.getByTestId('agent-id').fill('NEW1');
    await form.getByTestId('agent-save').click();
    await page.locator('[data-testid=admin-agent-row][data-agent-id="NEW1"]').waitFor();
    // The form is now the new agent's: no error left from the refused attempt.
    const edit = page.getByTestId('agent-form');
    await edit.getByTestId('agent-alias').fill('小新');
    await edit.getByTestId('agent-save').click();
    await edit.locator('.ok-text').waitFor();
    expect(await edit.getByTestId('error').count()).toBe(0);
    await expect.poll(() => page.locator('[data-testid=admin-agent-row][data-agent-id="NEW1"]').textContent()).toContain('小新');

    const reset = page.getByTestId('password-form');
    await reset.getByTestId('password-new').fill('second-password-2');
    await reset.getByTestId('password-save').click();
    await reset.locator('.ok-text').waitFor();
    expect(await reset.getByTestId('password-new').inputValue()).toBe('');
    expect(await w.p.login('newbie', 'second-password-2')).toEqual(expect.any(String));
    // The browser logs the refused create (409) as a failed resource; nothing else.
    expect(errors.filter((e) => !/status of 409/.test(e))).toEqual([]);
    await page.context().close();
  });
});
