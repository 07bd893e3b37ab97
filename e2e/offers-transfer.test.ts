/**
 * Offers, transfers and the supervisor's assignments of issue 10 in the real console, in real
 * Chromium, against the real server over real HTTP: a chat offered to an agent (who, what the
 * customer typed, a countdown) is declined with a reason and accepted by the next agent, who
 * transfers it with a note to a third (the third party told by a second `create` for the same
 * session); a supervisor sees who is not responding, and assigns and moves chats from the board.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, openTab, type Tab } from './support/browser.js';
import { login, SHOTS } from './support/console.js';
import { PASSWORD, startWorld, type World } from './support/platform.js';

const REPO = path.resolve(import.meta.dirname, '..');
const OFFERED = 5;
const SPECIALISTS = 6;
const BY_HAND = 7;
const QUICK = 8;

describe('offers, transfers and assignments in the console', () => {
  let browser: Browser;
  let w: World;

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    browser = await launch();
    w = await startWorld({
      queues: [
        { id: OFFERED, name: '退货咨询', assignment: 'offer', offerTimeoutSeconds: 180, whenNoAgentOnline: 'wait' },
        { id: SPECIALISTS, name: '退货专员', whenNoAgentOnline: 'wait' },
        { id: BY_HAND, name: '大客户', assignment: 'manual', whenNoAgentOnline: 'wait' },
        // Offers that run out at once: its one agent never answers.
        { id: QUICK, name: '夜间', assignment: 'offer', offerTimeoutSeconds: 1, whenNoAgentOnline: 'wait' },
      ],
      agents: [
        { id: 'OA', username: 'offer-a', password: PASSWORD, name: '小安', queues: [OFFERED] },
        { id: 'OB', username: 'offer-b', password: PASSWORD, name: '小白', queues: [OFFERED, SPECIALISTS] },
        { id: 'OC', username: 'offer-c', password: PASSWORD, name: '小陈', alias: '退货专员陈', queues: [SPECIALISTS, BY_HAND] },
        { id: 'OD', username: 'offer-d', password: PASSWORD, name: '小丁', queues: [QUICK] },
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await w?.close();
  });

  const agentTab = async (username: string, opts: { audited?: boolean } = {}): Promise<Tab> => {
    const tab = opts.audited ? await auditedTab() : await openTab(browser);
    await login(tab.page, w.p.url, username);
    await tab.page.getByTestId('agent-page').waitFor();
    await tab.page.getByTestId('status-select').selectOption('online');
    return tab;
  };
  /** A tab as openTab's, where axe-core can be added (the console's CSP allows no inline script). */
  const auditedTab = async (): Promise<Tab> => {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1400, height: 860 }, deviceScaleFactor: 1, bypassCSP: true });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`console: ${m.text()}`);
    });
    return { context, page, errors };
  };
  const card = (page: Page, requestId: number) => page.locator(`[data-testid=offer-card][data-request-id="${requestId}"]`);
  const chatItem = (page: Page, sessionId: number) => page.locator(`[data-testid=chat-list-item][data-session-id="${sessionId}"]`);
  const chatView = (page: Page, sessionId: number) => page.locator(`[data-testid=chat-view][data-session-id="${sessionId}"]`);
  const audit = async (page: Page, include: string) => {
    await page.addScriptTag({ content: fs.readFileSync(path.join(REPO, 'node_modules/axe-core/axe.min.js'), 'utf8') });
    const violations = await page.evaluate(async (selector) => {
      type Result = { violations: { id: string; impact: string; nodes: { target: string[]; failureSummary: string }[] }[] };
      const r = await (window as unknown as { axe: { run(c: unknown, o: unknown): Promise<Result> } }).axe.run(
        { include: [selector] },
        { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } },
      );
      return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary}`) }));
    }, include);
    expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical'), `axe on ${include}`).toEqual([]);
  };

  it('offers a chat with a countdown; declined with a reason it goes to the next agent, who accepts and transfers it with a note', async () => {
    const a = await agentTab('offer-a', { audited: true });
    const sup = await openTab(browser);
    await login(sup.page, w.p.url, 'sup');
    await sup.page.goto(`${w.p.url}/supervisor`);
    await sup.page.getByTestId('supervisor-page').waitFor();

    // A customer asks; only A is online in the queue, so A is offered it.
    const asked = await w.p.tpi({ type: 1000, clientId: 'wx-return', nickname: '陈女士', queueId: OFFERED, from: 'WECHAT' });
    expect(asked.result).toBe(1);
    const requestId = asked.requestId as number;
    await w.p.tpi({ type: 2005, requestId, text: '你好，我想退货 <b>订单 A-1001</b>' });

    const offered = card(a.page, requestId);
    await offered.waitFor();
    expect(await offered.getByTestId('offer-title').textContent()).toBe('新会话：陈女士');
    expect(await offered.getByTestId('offer-from').getAttribute('data-from')).toBe('WECHAT');
    expect(await offered.getByTestId('offer-queue').textContent()).toBe('退货咨询');
    // Typed after the offer was made: the card's next fetch brings it.
    await expect.poll(() => offered.getByTestId('offer-pre-message').allTextContents(), { timeout: 10_000 }).toEqual(['你好，我想退货 <b>订单 A-1001</b>']);
    expect(await offered.locator('b').count()).toBe(0);
    // A live countdown from the queue's 180 seconds.
    const countdown = offered.getByTestId('offer-countdown');
    const first = Number(await countdown.getAttribute('data-seconds'));
    expect(first).toBeGreaterThan(150);
    expect(first).toBeLessThanOrEqual(180);
    expect(await countdown.textContent()).toMatch(/^[23]:\d\d$/);
    await expect.poll(async () => Number(await countdown.getAttribute('data-seconds')), { timeout: 5_000 }).toBeLessThan(first);
    // The board counts what is offered to A.
    await expect.poll(() => sup.page.locator('[data-testid=board-agent-row][data-agent-id="OA"] [data-testid=board-agent-offers]').getAttribute('data-count')).toBe('1');
    await audit(a.page, '[data-testid=offers]');
    await a.page.screenshot({ path: path.join(SHOTS, 'agent-offer.png') });

    // B comes online (the offer stays A's), then A declines with a reason.
    const b = await agentTab('offer-b');
    await offered.getByTestId('offer-decline').click();
    await offered.getByTestId('offer-decline-reason').fill('正在处理一个投诉');
    await offered.getByTestId('offer-decline-confirm').click();
    await expect.poll(() => card(a.page, requestId).count()).toBe(0);
    const offers = await w.p.platform.store.db.selectFrom('offers').select(['agent_id', 'status', 'reason']).where('request_id', '=', requestId).orderBy('id').execute();
    expect(offers[0]).toEqual({ agent_id: 'OA', status: 'declined', reason: '正在处理一个投诉' });

    // B is offered it next, and accepts: the chat opens with what the customer typed.
    const toB = card(b.page, requestId);
    await toB.waitFor();
    expect(await toB.getByTestId('offer-pre-message').allTextContents()).toEqual(['你好，我想退货 <b>订单 A-1001</b>']);
    await toB.getByTestId('offer-accept').click();
    const created = await w.tp.waitFor(() => w.tp.ofName('create').find((c) => c.body.clientId === 'wx-return'));
    expect(created.body.agentId).toBe('OB');
    const sessionId = created.body.sessionId as number;
    await expect.poll(() => card(b.page, requestId).count()).toBe(0);
    const bView = chatView(b.page, sessionId);
    await expect.poll(() => bView.getAttribute('data-active')).toBe('true');
    expect(await bView.locator('[data-testid=message][data-kind=pre]').allTextContents()).toEqual([expect.stringContaining('你好，我想退货 <b>订单 A-1001</b>')]);
    await bView.getByTestId('composer-input').fill('您好，我把您转给退货专员');
    await bView.getByTestId('composer-input').press('Enter');
    await expect.poll(() => bView.locator('[data-testid=message][data-kind=text]').allTextContents()).toEqual([expect.stringContaining('您好，我把您转给退货专员')]);

    // C is online; B opens the transfer dialog and picks C, but C steps away before it is sent.
    const c = await agentTab('offer-c');
    const cToken = await w.p.login('offer-c', PASSWORD);
    await bView.getByTestId('transfer-chat').click();
    const dialog = b.page.getByTestId('transfer-dialog');
    await dialog.waitFor();
    const agents = dialog.getByTestId('transfer-agent');
    await expect.poll(() => agents.locator('option[value="OC"]').count()).toBe(1);
    expect(await agents.locator('option[value="OA"]').textContent()).toMatch(/^小安 \(OA\) · 在线 · 会话 0\/5$/);
    await agents.selectOption('OC');
    await dialog.getByTestId('transfer-note').fill('订单 A-1001 已核实，请办理退款');
    await w.p.api('PUT', '/api/v1/agent/status', cToken, { status: 'away' });
    await dialog.getByTestId('transfer-submit').click();
    const failed = dialog.getByTestId('transfer-error');
    await failed.waitFor();
    expect(await failed.getByTestId('conflict-reason').textContent()).toBe('未能转接：OC 不在线：会话只能交给在线的坐席');
    expect(await failed.getByTestId('conflict-detail').textContent()).toBe('服务器说明：agent OC is away: a chat goes only to an online agent');
    expect(await chatItem(b.page, sessionId).count()).toBe(1);
    await b.page.screenshot({ path: path.join(SHOTS, 'agent-transfer.png') });

    // Back online: the same dialog sends it.
    await w.p.api('PUT', '/api/v1/agent/status', cToken, { status: 'online' });
    await dialog.getByTestId('transfer-submit').click();
    await expect.poll(() => dialog.count()).toBe(0);
    await expect.poll(() => chatItem(b.page, sessionId).count()).toBe(0);

    // The third party learns the new agent by a second create for the same session.
    const second = await w.tp.waitFor(() => w.tp.ofName('create').find((x) => x.body.sessionId === sessionId && x.body.agentId === 'OC'));
    expect(w.tp.ofName('create').filter((x) => x.body.sessionId === sessionId).map((x) => x.body.agentId)).toEqual(['OB', 'OC']);
    expect(second.body.clientId).toBe('wx-return');

    // C has the chat with its whole history and the transfer's note.
    await chatItem(c.page, sessionId).waitFor();
    await chatItem(c.page, sessionId).click();
    const cView = chatView(c.page, sessionId);
    await expect.poll(() => cView.getAttribute('data-active')).toBe('true');
    const texts = await cView.locator('[data-testid=message]').allTextContents();
    expect(texts.findIndex((x) => x.includes('你好，我想退货 <b>订单 A-1001</b>'))).toBeGreaterThanOrEqual(0);
    expect(texts.findIndex((x) => x.includes('您好，我把您转给退货专员'))).toBeGreaterThan(0);
    const note = cView.locator('[data-testid=message][data-event=transferred]');
    expect(await note.textContent()).toContain('OB 将对话从 OB 转给 OC. 备注：订单 A-1001 已核实，请办理退款');
    // C can answer: the chat is C's now.
    await cView.getByTestId('composer-input').fill('您好，我来为您办理退款');
    await cView.getByTestId('composer-input').press('Enter');
    await w.tp.waitFor(() => w.tp.ofName('msg').find((m) => m.body.sessionId === sessionId && m.body.agentId === 'OC'));

    for (const tab of [a, b, c, sup]) expect(tab.errors.filter((e) => !/status of 409/.test(e))).toEqual([]);
    for (const tab of [a, b, c, sup]) await tab.context.close();
  });

  it('shows the supervisor who is not responding, and assigns a waiting request and moves a chat from the board', async () => {
    // D lets two offers in a row run out: the platform sets D away, not responding.
    const d = await w.p.login('offer-d', PASSWORD);
    await w.p.api('PUT', '/api/v1/agent/status', d, { status: 'online' });
    for (const clientId of ['night-1', 'night-2']) {
      const r = await w.p.tpi({ type: 1000, clientId, queueId: QUICK });
      await expect.poll(async () => (await w.p.tpi({ type: 1001, requestId: r.requestId })).requestStatus, { timeout: 10_000 }).toBe(2);
    }

    const c = await agentTab('offer-c');
    const a = await agentTab('offer-a');
    const sup = await openTab(browser);
    await login(sup.page, w.p.url, 'sup');
    await sup.page.goto(`${w.p.url}/supervisor`);
    const page = sup.page;
    await page.getByTestId('supervisor-page').waitFor();
    const dRow = page.locator('[data-testid=board-agent-row][data-agent-id="OD"]');
    await expect.poll(() => dRow.getAttribute('data-away-reason')).toBe('not-responding');
    expect(await dRow.getByTestId('board-not-responding').textContent()).toBe('无应答');

    // A big customer waits in the manual queue; the board lists it, live.
    const asked = await w.p.tpi({ type: 1000, clientId: 'vip-1', nickname: '周总', queueId: BY_HAND, from: 'APP' });
    const requestId = asked.requestId as number;
    await w.p.tpi({ type: 2005, requestId, text: '急，请尽快' });
    const row = page.locator(`[data-testid=board-request-row][data-request-id="${requestId}"]`);
    await row.waitFor();
    expect(await row.getByTestId('board-request-place').textContent()).toBe('1');
    await row.getByTestId('assign-button').click();
    const pick = row.getByTestId('assign-agent');
    // Online agents with room, the queue's own first; nobody away.
    const choices = await pick.locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(choices.slice(0, 2)).toEqual(['', 'OC']);
    expect(choices).toContain('OA');
    expect(choices).not.toContain('OD');
    await pick.selectOption('OC');
    await page.screenshot({ path: path.join(SHOTS, 'supervisor-assign.png') });
    await row.getByTestId('assign-submit').click();
    const created = await w.tp.waitFor(() => w.tp.ofName('create').find((x) => x.body.clientId === 'vip-1'));
    expect(created.body.agentId).toBe('OC');
    const sessionId = created.body.sessionId as number;
    await expect.poll(() => row.count()).toBe(0);
    await chatItem(c.page, sessionId).waitFor();

    // Then moves it to A with a note: it leaves C and opens for A, and the third party is told.
    const sessionRow = page.locator(`[data-testid=board-session-row][data-session-id="${sessionId}"]`);
    await sessionRow.getByTestId('move-button').click();
    await sessionRow.getByTestId('assign-agent').selectOption('OA');
    await sessionRow.getByTestId('assign-note').fill('周总的订单请跟进');
    await sessionRow.getByTestId('assign-submit').click();
    await w.tp.waitFor(() => w.tp.ofName('create').find((x) => x.body.sessionId === sessionId && x.body.agentId === 'OA'));
    await chatItem(a.page, sessionId).waitFor();
    await expect.poll(() => chatItem(c.page, sessionId).getAttribute('data-status')).toBe('closed');
    await chatItem(a.page, sessionId).click();
    expect(await chatView(a.page, sessionId).locator('[data-testid=message][data-event=transferred]').textContent()).toContain('备注：周总的订单请跟进');

    for (const tab of [a, c, sup]) expect(tab.errors).toEqual([]);
    for (const tab of [a, c, sup]) await tab.context.close();
  });
});
