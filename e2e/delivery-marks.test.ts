/**
 * What agents see of their own replies, in real Chromium against the real server: a reply to a
 * third party that answers is delivered; one to a third party that is down is retried and then
 * failed; a supervisor watching the chat redelivers it once the third party is back and sees it
 * delivered (so does the agent). A web-chat reply is read once the customer's page shows it.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestPlatform, type TestPlatform } from '../packages/server/src/test-support/platform.js';
import { ThirdParty } from '../packages/server/src/test-support/third-party.js';
import { launch, openTab } from './support/browser.js';
import { login, SHOTS } from './support/console.js';
import { PASSWORD } from './support/platform.js';

const BAD_KEY = 'bad-channel-key-0123456789';

describe('delivery marks', () => {
  let browser: Browser;
  let p: TestPlatform;
  const good = new ThirdParty();
  const bad = new ThirdParty();
  let down = true;

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    bad.answer = () => (down ? { status: 503, body: { result: 0, message: 'maintenance' } } : 'ok');
    const [goodUrl, badUrl] = await Promise.all([good.start(), bad.start()]);
    p = await startTestPlatform({
      provisioning: {
        queues: [{ id: 1, name: '售前咨询', whenNoAgentOnline: 'wait' }],
        agents: [
          { id: 'SELITE', username: 'elite', password: PASSWORD, name: 'Elite', maxChats: 5, queues: [1] },
          { id: 'SUP', username: 'sup', password: PASSWORD, name: '主管', role: 'supervisor' },
        ],
        channels: [
          { id: 'good', callbackBase: goodUrl },
          { id: 'bad', key: BAD_KEY, callbackBase: badUrl },
          { id: 'web', kind: 'web', queues: [1] },
        ],
      },
      // A third party that stays down gives up (a dead letter) within a second, not a day.
      config: { delivery: { windowMs: 1_000, baseBackoffMs: 50, maxBackoffMs: 200 } },
    });
    browser = await launch();
  });

  afterAll(async () => {
    await browser?.close();
    await p?.close();
    await good.stop();
    await bad.stop();
  });

  /** The agent's reply in the chat with this customer, sent from the composer: its mark. */
  async function replyIn(view: Locator, text: string): Promise<Locator> {
    await view.getByTestId('composer-input').fill(text);
    await view.getByTestId('composer-input').press('Enter');
    const reply = view.locator('[data-testid=message][data-sender=agent]', { hasText: text });
    await reply.waitFor();
    return reply.getByTestId('delivery-mark');
  }

  it('shows delivered and failed replies, and a supervisor redelivers the failed one', async () => {
    const agent = await openTab(browser);
    await login(agent.page, p.url, 'elite');
    await agent.page.getByTestId('agent-page').waitFor();
    await agent.page.getByTestId('status-select').selectOption('online');

    await p.tpi({ type: 1000, clientId: 'c-good', nickname: '顺利', queueId: 1 });
    await p.tpi({ type: 1000, clientId: 'c-bad', nickname: '掉线', queueId: 1 }, { 'x-webchat-key': BAD_KEY });
    const token = await p.login('elite', PASSWORD);
    const sessions = await eventually(async () => {
      const listed = (await p.api<{ sessions: { id: number; clientId: string }[] }>('GET', '/api/v1/agent/sessions', token)).body.sessions;
      return listed.length === 2 && listed;
    }, 10_000, 'both chats');
    const idOf = (clientId: string) => sessions.find((s) => s.clientId === clientId)!.id;
    const open = async (clientId: string) => {
      await agent.page.locator(`[data-testid=chat-list-item][data-session-id="${idOf(clientId)}"]`).click();
      return agent.page.locator(`[data-testid=chat-view][data-session-id="${idOf(clientId)}"]`);
    };

    const delivered = await replyIn(await open('c-good'), '您好，订单已发货');
    await expect.poll(() => delivered.getAttribute('data-state')).toBe('delivered');
    expect(good.ofName('msg').map((m) => m.body.content)).toEqual(['您好，订单已发货']);

    const badView = await open('c-bad');
    const failed = await replyIn(badView, '稍等，我帮您查一下');
    await expect.poll(() => failed.getAttribute('data-state'), { timeout: 15_000 }).toBe('failed');
    expect(await failed.getAttribute('title')).toMatch(/^送达状态：未送达。.*已尝试 \d+ 次；最近错误：HTTP 503$/);
    // An agent sees it failed, and cannot send it again.
    expect(await failed.getByTestId('redeliver').count()).toBe(0);

    // The supervisor watches the chat, and sends the reply again once the third party is back.
    const boss = await openTab(browser);
    await login(boss.page, p.url, 'sup');
    await boss.page.goto(`${p.url}/supervisor/watch/${idOf('c-bad')}`);
    const watch = boss.page.getByTestId('watch-view');
    await expect.poll(() => watch.getAttribute('data-watch-state')).toBe('watching');
    const watched = watch.locator('[data-testid=message][data-sender=agent]').getByTestId('delivery-mark');
    await expect.poll(() => watched.getAttribute('data-state')).toBe('failed');
    await watched.getByTestId('redeliver').waitFor();
    await boss.page.screenshot({ path: path.join(SHOTS, 'delivery-marks-redeliver.png') });
    down = false;
    await watched.getByTestId('redeliver').click();
    await expect.poll(() => watched.getAttribute('data-state')).toBe('delivered');
    await expect.poll(() => failed.getAttribute('data-state')).toBe('delivered');
    expect(bad.ofName('msg').map((m) => m.body.content)).toEqual(['稍等，我帮您查一下']);

    expect(agent.errors).toEqual([]);
    expect(boss.errors).toEqual([]);
    await agent.context.close();
    await boss.context.close();
  });

  it('shows a web-chat reply read once the customer’s page shows it', async () => {
    const agent = await openTab(browser);
    await login(agent.page, p.url, 'elite');
    await agent.page.getByTestId('agent-page').waitFor();
    await agent.page.getByTestId('status-select').selectOption('online');

    const customer = await openTab(browser, { locale: 'en-US' });
    await customer.page.goto(`${p.url}/chat/web`);
    await customer.page.getByTestId('prechat-form').waitFor();
    await customer.page.getByTestId('nickname').fill('Ann');
    await customer.page.getByTestId('start').click();
    await expect.poll(() => customer.page.getByTestId('conversation').getAttribute('data-state')).toBe('chatting');

    const item = agent.page.locator('[data-testid=chat-list-item]', { hasText: 'Ann' });
    await item.click();
    const view = agent.page.locator(`[data-testid=chat-view][data-session-id="${await item.getAttribute('data-session-id')}"]`);
    const mark = await replyIn(view, 'Hello Ann');
    await customer.page.locator('[data-testid=message][data-sender=agent]', { hasText: 'Hello Ann' }).waitFor();
    await expect.poll(() => mark.getAttribute('data-state')).toBe('read');
    expect(customer.errors).toEqual([]);
    expect(agent.errors).toEqual([]);
    await agent.context.close();
    await customer.context.close();
  });
});
