/**
 * Routing tools of issue 10 in the real console, in real Chromium, against the real server over
 * real HTTP: an admin sets a queue's holidays and special hours (and a closed today answers the
 * off-hours code to a 1000); agents of a manual queue take waiting requests by hand, and two who
 * take the same one at once see who got it.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, openTab } from './support/browser.js';
import { login, SHOTS } from './support/console.js';
import { PASSWORD, startWorld, type World } from './support/platform.js';

const MANUAL = 3;
const HOLIDAYS = 4;
/**
 * A zone whose date differs from UTC's now (at least an hour from its midnight), so a closed
 * "today" only closes the queue if the server reads the date in the queue's own zone.
 */
const ZONE = new Date().getUTCHours() >= 10 ? 'Pacific/Kiritimati' : 'Pacific/Pago_Pago';
const dateIn = (timeZone: string) => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());

describe('routing tools in the console', () => {
  let browser: Browser;
  let w: World;

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    browser = await launch();
    w = await startWorld({
      queues: [
        { id: MANUAL, name: '手动接入', assignment: 'manual', whenNoAgentOnline: 'wait' },
        { id: HOLIDAYS, name: '节假日热线', timezone: ZONE, whenNoAgentOnline: 'wait' },
      ],
      agents: [
        { id: 'T1', username: 'taker1', password: PASSWORD, name: '接入一', queues: [MANUAL] },
        { id: 'T2', username: 'taker2', password: PASSWORD, name: '接入二', queues: [MANUAL] },
        // Never logs in: the holiday queue only needs an agent to be open to requests.
        { id: 'H1', username: 'holiday', password: PASSWORD, name: '值班', queues: [HOLIDAYS] },
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await w?.close();
  });

  it('saves closed dates and special hours from the queue form, refuses a bad line, and closes the queue today', async () => {
    const { page, errors } = await openTab(browser);
    await login(page, w.p.url, 'admin');
    const admin = await w.p.login('admin', PASSWORD);
    const apiQueue = async () =>
      (await w.p.api<{ queues: { id: number; closedDates: string[]; specialHours: Record<string, string[]> }[] }>('GET', '/api/v1/admin/queues', admin)).body.queues.find((q) => q.id === HOLIDAYS);
    const puts: string[] = [];
    page.on('request', (r) => {
      if (r.method() !== 'GET') puts.push(`${r.method()} ${r.url()}`);
    });

    const openQueue = async () => {
      await page.goto(`${w.p.url}/admin/queues`);
      await page.locator(`[data-testid=admin-queue-row][data-queue-id="${HOLIDAYS}"]`).click();
      return page.getByTestId('queue-form');
    };
    const summary = page.locator(`[data-testid=admin-queue-row][data-queue-id="${HOLIDAYS}"] [data-testid=admin-queue-dates]`);

    // A closed range (both ends count) and a special day with one period.
    let form = await openQueue();
    await form.getByTestId('queue-closed-dates').fill('2027-10-01..2027-10-07');
    await form.getByTestId('queue-special-hours').fill('2027-12-24 09:00-12:00');
    await form.getByTestId('queue-save').click();
    await expect.poll(() => summary.getAttribute('data-closed-days')).toBe('7');
    expect(await summary.getAttribute('data-special-days')).toBe('1');
    expect(await apiQueue()).toMatchObject({ closedDates: ['2027-10-01..2027-10-07'], specialHours: { '2027-12-24': ['09:00-12:00'] } });

    // A fresh page shows them in the editor again.
    await page.reload();
    form = await openQueue();
    expect(await form.getByTestId('queue-closed-dates').inputValue()).toBe('2027-10-01..2027-10-07');
    expect(await form.getByTestId('queue-special-hours').inputValue()).toBe('2027-12-24 09:00-12:00');

    // A range that ends before it starts and a malformed period: named in the form, nothing sent.
    puts.length = 0;
    await form.getByTestId('queue-closed-dates').fill('2027-10-01..2027-10-07\n2027-11-05..2027-11-01');
    await form.getByTestId('queue-special-hours').fill('2027-12-24 09:00-12:00\n2027-12-31 9点-12点');
    await form.getByTestId('queue-save').click();
    const error = form.getByTestId('queue-dates-error');
    await error.waitFor();
    const text = await error.textContent();
    expect(text).toContain('第 2 行“2027-11-05..2027-11-01”：范围的结束早于开始');
    expect(text).toContain('第 2 行“2027-12-31 9点-12点”：时段应为 09:00-12:00 这样的格式');
    expect(await form.getByTestId('queue-closed-dates').getAttribute('aria-invalid')).toBe('true');
    expect(await form.getByTestId('queue-special-hours').getAttribute('aria-invalid')).toBe('true');
    await page.screenshot({ path: path.join(SHOTS, 'admin-queue-dates.png') });
    expect(puts).toEqual([]);
    expect(await apiQueue()).toMatchObject({ closedDates: ['2027-10-01..2027-10-07'], specialHours: { '2027-12-24': ['09:00-12:00'] } });

    // Open now; a customer waits. Then closed today, in the queue's zone (not UTC's date).
    const today = dateIn(ZONE);
    expect(today).not.toBe(dateIn('UTC'));
    const waiting = await w.p.tpi({ type: 1000, clientId: 'before-closing', queueId: HOLIDAYS });
    expect(waiting.result).toBe(1);
    await form.getByTestId('queue-closed-dates').fill(`2027-10-01..2027-10-07\n${today}`);
    await form.getByTestId('queue-special-hours').fill('2027-12-24 09:00-12:00');
    await expect.poll(() => error.count()).toBe(0);
    await form.getByTestId('queue-save').click();
    await expect.poll(() => summary.getAttribute('data-closed-days')).toBe('8');
    expect((await apiQueue())?.closedDates).toEqual(['2027-10-01..2027-10-07', today]);

    const refused = await w.p.tpi({ type: 1000, clientId: 'on-a-holiday', queueId: HOLIDAYS });
    expect(refused).toMatchObject({ result: -3 });
    // The one already waiting ends as OFF_HOUR (6), and 1001 says why.
    await expect.poll(async () => (await w.p.tpi({ type: 1001, requestId: waiting.requestId })).requestStatus).toBe(6);
    expect((await w.p.tpi({ type: 1001, requestId: waiting.requestId })).message).toMatch(/closed date/);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('lets agents of a manual queue take waiting requests by hand; of two at once one gets it, the other is told', async () => {
    const agentTab = async (username: string) => {
      const tab = await openTab(browser);
      await login(tab.page, w.p.url, username);
      await tab.page.getByTestId('agent-page').waitFor();
      await tab.page.getByTestId('status-select').selectOption('online');
      return tab;
    };
    const [a, b] = [await agentTab('taker1'), await agentTab('taker2')];
    const item = (page: Page, requestId: number) => page.locator(`[data-testid=waiting-request][data-request-id="${requestId}"]`);
    const statuses: number[] = [];
    for (const { page } of [a, b]) {
      page.on('response', (r) => {
        if (r.url().endsWith('/take')) statuses.push(r.status());
      });
    }

    // Two customers ask; the first writes while waiting.
    const first = await w.p.tpi({ type: 1000, clientId: 'wx-first', nickname: '陈女士', queueId: MANUAL, from: 'WECHAT' });
    expect(first).toMatchObject({ result: 1, queueLength: 1 });
    const r1 = first.requestId as number;
    await w.p.tpi({ type: 2005, requestId: r1, text: '你好，想咨询退货' });
    await w.p.tpi({ type: 2005, requestId: r1, text: '订单号 A-1001' });
    const second = await w.p.tpi({ type: 1000, clientId: 'app-second', nickname: '周先生', queueId: MANUAL, from: 'APP' });
    expect(second).toMatchObject({ result: 1, queueLength: 2 });
    const r2 = second.requestId as number;

    for (const { page } of [a, b]) {
      await expect.poll(() => page.getByTestId('waiting-count').textContent()).toBe('2');
      await page.getByTestId('waiting-tab').click();
      await item(page, r2).waitFor();
    }
    const listed = item(a.page, r1);
    expect(await listed.getByTestId('waiting-nickname').textContent()).toBe('陈女士');
    expect(await listed.getByTestId('waiting-queue').textContent()).toBe('手动接入');
    expect(await listed.getByTestId('waiting-pre-messages').textContent()).toBe('2 条消息');
    expect(await a.page.locator('[data-testid=waiting-request]').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-request-id'))))).toEqual([r1, r2]);
    await a.page.screenshot({ path: path.join(SHOTS, 'agent-to-take.png') });

    // T1 takes the first: the chat opens in their list, with what was said while waiting.
    await listed.getByTestId('take-request').click();
    await a.page.waitForURL(/\/agent$/);
    const create = await w.tp.waitFor(() => w.tp.ofName('create').find((c) => c.body.clientId === 'wx-first'));
    expect(create.body.agentId).toBe('T1');
    const sessionId = create.body.sessionId as number;
    await a.page.locator(`[data-testid=chat-list-item][data-session-id="${sessionId}"]`).waitFor();
    const view = a.page.locator(`[data-testid=chat-view][data-session-id="${sessionId}"][data-active="true"]`);
    await expect.poll(() => view.locator('[data-testid=message][data-kind=pre]').count()).toBe(2);
    // T2's list loses it without a reload.
    await expect.poll(() => item(b.page, r1).count()).toBe(0);
    expect(await item(b.page, r2).count()).toBe(1);

    // Both take the second at the same moment: both requests leave the browsers before either is answered.
    await a.page.getByTestId('waiting-tab').click();
    let arrived = 0;
    let release = () => {};
    const together = new Promise<void>((resolve) => (release = resolve));
    const hold = async (route: Route) => {
      if (++arrived === 2) release();
      await together;
      await route.continue();
    };
    for (const { page } of [a, b]) await page.route('**/api/v1/agent/queue/*/take', hold);
    await Promise.all([a, b].map((tab) => item(tab.page, r2).getByTestId('take-request').click()));

    const won = await w.tp.waitFor(() => w.tp.ofName('create').find((c) => c.body.clientId === 'app-second'));
    const [winner, loser] = won.body.agentId === 'T1' ? [a, b] : [b, a];
    await winner.page.waitForURL(/\/agent$/);
    await winner.page.locator(`[data-testid=chat-list-item][data-session-id="${won.body.sessionId as number}"]`).waitFor();
    const note = loser.page.getByTestId('take-note');
    await note.waitFor();
    expect(await note.getAttribute('data-request-id')).toBe(String(r2));
    expect(await note.textContent()).toContain(`未能接入：request ${r2} was taken by ${won.body.agentId as string} first`);
    // The loser stays on the tab, the request gone from the list, no chat opened.
    await expect.poll(() => item(loser.page, r2).count()).toBe(0);
    expect(loser.page.url()).toMatch(/\/agent\/waiting$/);
    expect(await loser.page.locator(`[data-testid=chat-view][data-session-id="${won.body.sessionId as number}"]`).count()).toBe(0);
    expect(statuses.sort()).toEqual([200, 200, 409]);
    for (const { page } of [a, b]) await expect.poll(() => page.locator(`[data-testid=queue-count][data-queue-id="${MANUAL}"]`).getAttribute('data-waiting')).toBe('0');
    await loser.page.screenshot({ path: path.join(SHOTS, 'agent-take-conflict.png') });

    expect(a.errors.concat(b.errors).filter((e) => !/status of 409/.test(e))).toEqual([]);
    await a.context.close();
    await b.context.close();
  });
});
