/**
 * An agent's day in the real console, in real Chromium, against the real server, with a test
 * third party speaking the TPI: a chat arrives, pre-messages first; the agent replies with an
 * emoticon from the picker; the third party receives the code; rating; close.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, openTab } from './support/browser.js';
import { login, SHOTS } from './support/console.js';
import { startWorld, type World } from './support/platform.js';

describe('agent console', () => {
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

  it('receives a chat, replies with an emoticon the third party gets as its code, and closes', async () => {
    const { page, errors } = await openTab(browser);
    await login(page, w.p.url, 'elite');
    await page.getByTestId('agent-page').waitFor();

    // A customer queues while the agent is offline, and types while waiting.
    const { requestId } = await w.p.tpi({ type: 1000, clientId: 'wx-lori', nickname: '小李', queueId: 1, from: 'WECHAT' });
    await w.p.tpi({ type: 2005, requestId, text: '你好，在吗？' });
    await w.p.tpi({ type: 2005, requestId, text: '我想问一下订单 /::)' });
    await expect.poll(() => page.locator('[data-testid=queue-count][data-queue-id="1"]').getAttribute('data-waiting')).toBe('1');

    await page.getByTestId('status-select').selectOption('online');
    const item = page.locator('[data-testid=chat-list-item]').first();
    await item.waitFor();
    const sessionId = Number(await item.getAttribute('data-session-id'));
    const create = await w.tp.waitFor(() => w.tp.ofName('create')[0]);
    expect(create.body.sessionId).toBe(sessionId);
    await item.click();

    const view = page.locator('[data-testid=chat-view][data-active="true"]');
    await expect.poll(() => view.getByTestId('session-nickname').textContent()).toContain('小李');
    await expect.poll(() => view.locator('[data-testid=source-avatar]').first().getAttribute('data-source')).toBe('WECHAT');
    const pre = view.locator('[data-testid=message][data-kind=pre]');
    await expect.poll(() => pre.count()).toBe(2);
    expect(await pre.nth(0).textContent()).toContain('你好，在吗？');
    expect(await pre.nth(0).getByTestId('pre-message-tag').count()).toBe(1);
    // The emoticon code shows as its picture, named in Chinese.
    const smile = pre.nth(1).locator('span[role=img][data-emoticon-id="0"]');
    expect(await smile.getAttribute('title')).toBe('微笑');

    // A message while the chat is open.
    await w.p.tpi({ type: 2001, sessionId, clientId: 'wx-lori', text: '订单号 12345' });
    await expect.poll(() => view.locator('[data-testid=message][data-kind=text][data-sender=customer]').count()).toBe(1);

    // Reply: text, an emoticon from the picker, Enter to send.
    const input = view.getByTestId('composer-input');
    await input.fill('您好，马上为您查询 ');
    await view.getByTestId('emoticon-toggle').click();
    await view.locator('[data-testid=emoticon-item][data-code="/:rose"]').click();
    await input.press('Enter');
    const msg = await w.tp.waitFor(() => w.tp.ofName('msg')[0]);
    expect(msg.body).toMatchObject({ sessionId, agentId: 'SELITE', clientId: 'wx-lori', type: 'text' });
    expect(msg.body.content).toBe('您好，马上为您查询 /:rose');
    await expect.poll(() => view.locator('[data-testid=message][data-sender=agent]').count()).toBe(1);
    expect(await view.locator('[data-testid=message][data-sender=agent] span[role=img]').getAttribute('title')).toBe('玫瑰');

    await page.screenshot({ path: path.join(SHOTS, 'agent-workspace.png') });

    // Rating asked and received.
    await view.getByTestId('request-rating').click();
    await w.tp.waitFor(() => w.tp.ofName('pushRating')[0]);
    await w.p.tpi({ type: 5001, sessionId, ratingId: 5, ratingComments: '非常满意' });
    await expect.poll(() => view.getByTestId('session-rating').textContent()).toContain('非常满意');

    // Close.
    await view.getByTestId('close-chat').click();
    await view.getByTestId('close-chat-confirm').click();
    const close = await w.tp.waitFor(() => w.tp.ofName('close')[0]);
    expect(close.body).toMatchObject({ sessionId, agentId: 'SELITE' });
    await expect.poll(() => page.locator(`[data-testid=chat-list-item][data-session-id="${sessionId}"]`).getAttribute('data-status')).toBe('closed');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('switches to English and back', async () => {
    const { page } = await openTab(browser);
    await page.goto(`${w.p.url}/login`);
    const zh = await page.getByTestId('login-submit').textContent();
    await page.getByTestId('language-switch').selectOption('en');
    const en = await page.getByTestId('login-submit').textContent();
    expect(zh).not.toBe(en);
    expect(en).toMatch(/[A-Za-z]/);
    await page.context().close();
  });

  it('catches up after a network drop without losing or doubling a message', async () => {
    const { page, context } = await openTab(browser);
    await login(page, w.p.url, 'elite');
    await page.getByTestId('agent-page').waitFor();
    await page.getByTestId('status-select').selectOption('online');
    await w.p.tpi({ type: 1000, clientId: 'app-9', nickname: 'Zed', queueId: 2, from: 'APP' });
    const create = await w.tp.waitFor(() => w.tp.ofName('create').find((c) => c.body.clientId === 'app-9'));
    const sessionId = create.body.sessionId as number;
    await page.locator(`[data-testid=chat-list-item][data-session-id="${sessionId}"]`).click();
    const view = page.locator(`[data-testid=chat-view][data-session-id="${sessionId}"]`);
    await w.p.tpi({ type: 2001, sessionId, clientId: 'app-9', text: 'before the drop' });
    await expect.poll(() => view.locator('[data-testid=message][data-sender=customer]').count()).toBe(1);

    await context.setOffline(true);
    await page.getByTestId('reconnect-banner').waitFor();
    for (const text of ['while away 1', 'while away 2', 'while away 3']) await w.p.tpi({ type: 2001, sessionId, clientId: 'app-9', text });
    await context.setOffline(false);
    await expect.poll(() => view.locator('[data-testid=message][data-sender=customer]').count(), { timeout: 30_000 }).toBe(4);
    await w.p.tpi({ type: 2001, sessionId, clientId: 'app-9', text: 'after' });
    await expect.poll(() => view.locator('[data-testid=message][data-sender=customer]').count(), { timeout: 15_000 }).toBe(5);
    const ids = await view.locator('[data-testid=message]').evaluateAll((els) => els.map((e) => e.getAttribute('data-message-id')));
    expect(new Set(ids).size).toBe(ids.length);

    // A burst is written as one group and pushed as one chat.messages frame: all shown, in order.
    const burst = Array.from({ length: 30 }, (_, i) => `burst ${String(i).padStart(2, '0')}`);
    await Promise.all(burst.map((text) => w.p.tpi({ type: 2001, sessionId, clientId: 'app-9', text })));
    await expect.poll(() => view.locator('[data-testid=message][data-sender=customer]').count(), { timeout: 15_000 }).toBe(35);
    const shown = (await view.locator('[data-testid=message][data-sender=customer]').allTextContents()).filter((t) => t.includes('burst'));
    expect(shown).toHaveLength(30);
    await page.context().close();
  });

  it('opens a long chat at its latest messages and fetches earlier ones on demand', async () => {
    const { page } = await openTab(browser);
    await login(page, w.p.url, 'elite');
    await page.getByTestId('agent-page').waitFor();
    await page.getByTestId('status-select').selectOption('online');
    await w.p.tpi({ type: 1000, clientId: 'long-talker', nickname: 'Long', queueId: 2, from: 'APP' });
    const create = await w.tp.waitFor(() => w.tp.ofName('create').find((c) => c.body.clientId === 'long-talker'));
    const sessionId = create.body.sessionId as number;
    await w.p.tpi({ type: 2001, sessionId, clientId: 'long-talker', text: 'the very first' });
    for (let batch = 0; batch < 11; batch++) {
      await Promise.all(Array.from({ length: 50 }, (_, i) => w.p.tpi({ type: 2001, sessionId, clientId: 'long-talker', text: `later ${batch * 50 + i}` })));
    }
    // Earlier pages come slowly, as from a busy server: the button waits while one is fetched.
    await page.route(/\/sessions\/\d+\/messages\?before=/, async (route) => {
      await new Promise((r) => setTimeout(r, 400));
      await route.continue();
    });
    // A fresh load lists the session with only its latest messages.
    await page.reload();
    await page.locator(`[data-testid=chat-list-item][data-session-id="${sessionId}"]`).click();
    const view = page.locator(`[data-testid=chat-view][data-session-id="${sessionId}"]`);
    const first = view.getByText('the very first', { exact: true });
    await view.getByTestId('show-earlier').waitFor();
    expect(await first.count()).toBe(0);
    const more = view.getByTestId('show-earlier');
    // Each click shows held messages or fetches a page (the button is disabled meanwhile); the
    // last fetch removes the button. Wait for each click's work before deciding on the next.
    const settled = () => view.evaluate((v) => !(v.querySelector('[data-testid=show-earlier]') as HTMLButtonElement | null)?.disabled);
    for (let clicks = 0; clicks < 10 && (await first.count()) === 0; clicks++) {
      await more.click();
      await expect.poll(settled).toBe(true);
    }
    await first.waitFor();
    await expect.poll(() => view.locator('[data-testid=message][data-sender=customer]').count()).toBe(551);
    expect(await view.getByTestId('show-earlier').count()).toBe(0);
    const ids = await view.locator('[data-testid=message]').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-message-id'))));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    await page.context().close();
  });
});
