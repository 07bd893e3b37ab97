/**
 * The later TPI wire in the real console, in real Chromium: a customer of a later client (logged
 * in by type 3, calling with a token) types, and the agent sees "typing" (2022) and what is being
 * typed (2021) in the open chat, as plain text, until the message is sent; a message taken back
 * (2024, notice 6) shows as withdrawn.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, openTab } from './support/browser.js';
import { login, SHOTS } from './support/console.js';
import { startWorld, type World } from './support/platform.js';

describe('the later wire in the console', () => {
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

  it('shows the customer typing and their live preview, as text, cleared when the message arrives, and a message taken back as withdrawn', async () => {
    const tab = await openTab(browser);
    const { page } = tab;
    await login(page, w.p.url, 'elite');
    await page.getByTestId('agent-page').waitFor();
    await page.getByTestId('status-select').selectOption('online');

    const token = (await w.p.tpi({ type: 3, loginName: 'app-7', name: '李先生' })).token as string;
    await w.p.tpi({ type: 1000, token, queueId: 1, nickname: '李先生', from: 'APP' });
    const create = await w.tp.waitFor(() => w.tp.ofName('create').find((c) => c.body.clientId === 'app-7'));
    const sessionId = create.body.sessionId as number;
    await page.locator(`[data-testid=chat-list-item][data-session-id="${sessionId}"]`).click();
    const view = page.locator(`[data-testid=chat-view][data-session-id="${sessionId}"]`);
    await view.waitFor();

    expect((await w.p.tpi({ type: 2022, token, sessionId })).result).toBe(1);
    await view.getByTestId('customer-typing').waitFor();
    const typed = '我的订单 <img src=x onerror="window.hacked=1"> 还没到';
    expect((await w.p.tpi({ type: 2021, token, sessionId, text: typed })).result).toBe(1);
    const preview = view.getByTestId('customer-preview');
    await preview.waitFor();
    expect(await preview.textContent()).toBe(typed);
    expect(await view.locator('.typing-note img').count()).toBe(0);
    await page.screenshot({ path: path.join(SHOTS, 'agent-live-preview.png') });

    // Sent: the message shows, and the preview goes.
    expect((await w.p.tpi({ type: 2001, token, sessionId, text: '我的订单还没到' })).result).toBe(1);
    await view.getByText('我的订单还没到', { exact: true }).waitFor();
    await preview.waitFor({ state: 'detached' });
    expect(await view.getByTestId('customer-typing').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { hacked?: number }).hacked)).toBeUndefined();

    // Taken back (2024, notice 6): the bubble says so, its text is gone from the page.
    expect((await w.p.tpi({ type: 2001, token, sessionId, text: '发错了，这是私事', messageId: 'm-2' })).result).toBe(1);
    const wrong = view.locator('[data-testid=message][data-kind=text]').filter({ hasText: '发错了，这是私事' });
    await wrong.waitFor();
    expect((await w.p.tpi({ type: 2024, token, sessionId, noticeType: 6, notice: 'm-2' })).result).toBe(1);
    await view.getByTestId('message-revoked').waitFor();
    expect(await view.getByText('发错了，这是私事').count()).toBe(0);
    await view.locator('[data-testid=message][data-event=revoked]').waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'agent-revoked.png') });
    expect(tab.errors).toEqual([]);
  });
});
