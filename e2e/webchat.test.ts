/**
 * The customer's web chat in real Chromium against the real server, with an agent in the real
 * console: a customer on the hosted page and another on a shop page of a second origin that
 * embeds /widget.js; a reload and a network drop in a 200-message exchange; the agent's messages
 * sent while only the live feed was down; a page that may not embed it; the left-message flow
 * outside hours; keyboard-only use, an axe-core audit and the screenshots of docs/.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Browser, FrameLocator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, openTab, type Tab } from './support/browser.js';
import { login, SHOTS } from './support/console.js';
import { startWorld, type World } from './support/platform.js';
import { REPO } from './support/processes.js';
import { PAYLOADS } from './support/xss-corpus.js';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAUAAAAFCAYAAACNbyblAAAAHElEQVQI12P4//8/w38GIAXDIBKE0DHxgljNBAAO9TXL0Y4OHwAAAABJRU5ErkJggg==', 'base64');

/** A shop's page on its own origin, embedding the chat as the docs say. */
async function startShop(title: string): Promise<{ origin: string; setPlatform(url: string): void; close(): Promise<void> }> {
  let platform = '';
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    // The shop's own CSS tries to restyle everything; the launcher and the chat must not care.
    res.end(`<!doctype html><html><head><title>${title}</title><style>*{font-family:serif!important;color:#f0f!important}button{display:none!important}iframe{opacity:.1!important}</style></head>
<body><h1>${title}</h1><p>Products…</p>
<script src="${platform}/widget.js" data-channel="web" data-shadow="open" async></script></body></html>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    setPlatform(url) {
      platform = url;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const PHONE = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36';

const messages = (where: Page | FrameLocator) => where.locator('[data-testid=message][data-message-id]');

async function startChat(where: Page | FrameLocator, nickname: string, queueId?: number): Promise<void> {
  await where.getByTestId('prechat-form').waitFor();
  if (queueId !== undefined) await where.getByTestId('queue-select').selectOption(String(queueId));
  await where.getByTestId('nickname').fill(nickname);
  await where.getByTestId('start').click();
  await where.getByTestId('conversation').waitFor();
}

async function send(where: Page | FrameLocator, text: string): Promise<void> {
  const composer = where.getByTestId('composer');
  await composer.fill(text);
  await composer.press('Enter');
}

/** Texts of the shown messages of a sender, in order. */
async function texts(where: Page | FrameLocator, sender: 'customer' | 'agent'): Promise<string[]> {
  return where.locator(`[data-testid=message][data-message-id][data-sender=${sender}][data-kind=text] .msg-text`).allTextContents();
}

describe('the customer web chat', () => {
  let browser: Browser;
  let w: World;
  let shop: Awaited<ReturnType<typeof startShop>>;
  let elsewhere: Awaited<ReturnType<typeof startShop>>;
  let agent: Tab;
  let agentToken: string;

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    browser = await launch();
    shop = await startShop('A shop');
    elsewhere = await startShop('Not allowed');
    w = await startWorld({
      queues: [{ id: 3, name: 'Night shift', hours: {}, whenNoAgentOnline: 'wait' }],
      agents: [{ id: 'SNIGHT', username: 'night', password: 'e2e-password', name: 'Night', queues: [3] }],
      channels: [
        {
          id: 'web',
          kind: 'web',
          queues: [1, 3],
          allowedOrigins: [shop.origin],
          preChatFields: [{ name: 'order', label: { 'zh-CN': '订单号', en: 'Order number' } }],
        },
      ],
      ratings: [
        { id: 1, label: { 'zh-CN': '非常满意', en: 'Very satisfied' } },
        { id: 2, label: { 'zh-CN': '满意', en: 'Satisfied' } },
        { id: 3, label: { 'zh-CN': '不满意', en: 'Unsatisfied' } },
      ],
    });
    shop.setPlatform(w.p.url);
    elsewhere.setPlatform(w.p.url);
    agent = await openTab(browser);
    await login(agent.page, w.p.url, 'elite');
    await agent.page.getByTestId('agent-page').waitFor();
    agentToken = await w.p.login('elite', 'e2e-password');
  });

  afterAll(async () => {
    await browser?.close();
    await w?.close();
    await shop?.close();
    await elsewhere?.close();
  });

  /** The agent's view of the chat of a nickname, opened in the console. */
  async function agentView(nickname: string) {
    const item = agent.page.locator('[data-testid=chat-list-item]', { hasText: nickname }).first();
    await item.waitFor();
    await item.click();
    const sessionId = Number(await item.getAttribute('data-session-id'));
    return { sessionId, view: agent.page.locator(`[data-testid=chat-view][data-session-id="${sessionId}"]`) };
  }

  it('carries a whole chat on the hosted page and another in a shop page, each with the agent in the console', async () => {
    const a = await openTab(browser, { locale: 'en-US' });
    await a.page.goto(`${w.p.url}/chat/web`);
    expect(await a.page.getAttribute('html', 'lang')).toBe('en');
    await a.page.getByTestId('field-order').fill('A-1001');
    await startChat(a.page, 'Ann');
    // Nobody online yet: queued, first in line, and what is typed now goes first later.
    await expect.poll(() => a.page.getByTestId('conversation').getAttribute('data-state')).toBe('waiting');
    await expect.poll(() => a.page.getByTestId('waiting-place').getAttribute('data-place')).toBe('1');
    await send(a.page, 'Is anyone there? /::)');
    await expect.poll(() => messages(a.page).count()).toBe(1);

    await agent.page.getByTestId('status-select').selectOption('online');
    const { sessionId, view } = await agentView('Ann');
    await expect.poll(() => a.page.getByTestId('conversation').getAttribute('data-state')).toBe('chatting');
    await expect.poll(() => a.page.getByTestId('agent-name').textContent()).toContain('Elite');
    // The console says where the customer is, and shows the pre-message first.
    await expect.poll(() => view.getByTestId('visitor-info').getAttribute('data-source')).toBe('PC');
    await expect.poll(() => view.locator('[data-testid=visitor-field][data-field=order]').textContent()).toContain('A-1001');
    // Named as the form named it, in the console's language.
    expect(await view.locator('dt', { hasText: '订单号' }).count()).toBe(1);
    await expect.poll(() => view.getByTestId('visitor-language').getAttribute('data-language')).toBe('en-US');
    await expect.poll(() => view.locator('[data-testid=message][data-kind=pre]').first().textContent()).toContain('Is anyone there?');

    // The agent writes in the console; the customer sees it, the emoticon as a picture.
    await view.getByTestId('composer-input').fill('Hello Ann /::D');
    await view.getByTestId('composer-input').press('Enter');
    await expect.poll(() => texts(a.page, 'agent')).toEqual([expect.stringContaining('Hello Ann')]);
    expect(await a.page.locator('[data-testid=message][data-sender=agent] span.emo').count()).toBe(1);

    // Typing, both ways.
    await a.page.getByTestId('composer').pressSequentially('my order');
    await view.getByTestId('customer-typing').waitFor();
    await view.getByTestId('composer-input').pressSequentially('one moment');
    await a.page.getByTestId('agent-typing').waitFor();
    await view.getByTestId('composer-input').fill('');

    // An emoticon from the picker, then the text; an image from the file picker.
    await a.page.getByTestId('emoticon-button').click();
    await a.page.getByTestId('emoticon-4').click();
    await a.page.getByTestId('composer').press('Enter');
    await expect.poll(() => view.locator('[data-testid=message][data-sender=customer] span.emo[data-emoticon-id="4"]').count()).toBe(1);
    await a.page.getByTestId('image-input').setInputFiles({ name: 'cart.png', mimeType: 'image/png', buffer: PNG });
    await expect.poll(() => view.locator('[data-testid=message][data-kind=image]').count()).toBe(1);
    await expect.poll(() => a.page.locator('[data-testid=message-image]').count()).toBe(1);
    // Pasted into the composer, and dropped on the chat: two more.
    await a.page.evaluate(
      async ({ base64 }) => {
        const file = () => new File([Uint8Array.from(atob(base64), (ch) => ch.charCodeAt(0))], 'shot.png', { type: 'image/png' });
        const pasted = new DataTransfer();
        pasted.items.add(file());
        document.querySelector('[data-testid=composer]')!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: pasted, bubbles: true, cancelable: true }));
        await new Promise((r) => setTimeout(r, 300));
        const dropped = new DataTransfer();
        dropped.items.add(file());
        const target = document.querySelector('[data-testid=conversation]')!;
        target.dispatchEvent(new DragEvent('dragover', { dataTransfer: dropped, bubbles: true, cancelable: true }));
        target.dispatchEvent(new DragEvent('drop', { dataTransfer: dropped, bubbles: true, cancelable: true }));
      },
      { base64: PNG.toString('base64') },
    );
    await expect.poll(() => view.locator('[data-testid=message][data-kind=image]').count()).toBe(3);
    await expect.poll(() => a.page.locator('[data-testid=message-image]').count()).toBe(3);

    // The agent has the chat open: the customer's messages show as read.
    await expect.poll(() => a.page.getByTestId('read-mark').count(), { timeout: 15_000 }).toBeGreaterThan(0);

    // A second customer, on a shop page of another origin, in Chinese, on a phone.
    const b = await openTab(browser, { locale: 'zh-CN', width: 375, height: 667, userAgent: PHONE });
    await b.page.goto(shop.origin);
    await b.page.getByTestId('ewc-launcher').click();
    const frame = b.page.frameLocator('[data-testid=ewc-frame]');
    await startChat(frame, '小博');
    await expect.poll(() => frame.getByTestId('conversation').getAttribute('data-state')).toBe('chatting');
    const second = await agentView('小博');
    await expect.poll(() => second.view.getByTestId('visitor-info').getAttribute('data-source')).toBe('MOBILE');
    await expect.poll(() => second.view.getByTestId('visitor-page-link').getAttribute('href')).toBe(`${shop.origin}/`);
    await b.page.screenshot({ path: path.join(SHOTS, 'webchat-embed-phone.png') });

    // Minimised, the launcher counts what the agent writes meanwhile.
    await frame.getByTestId('minimise').click();
    await expect.poll(() => b.page.getByTestId('ewc-frame').isHidden()).toBe(true);
    expect((await w.p.api('POST', `/api/v1/agent/sessions/${second.sessionId}/messages`, agentToken, { text: '您好，请问有什么可以帮您？' })).status).toBe(201);
    await expect.poll(() => b.page.getByTestId('ewc-badge').textContent()).toBe('1');
    // Reopened, and remembered across a reload of the shop's page.
    await b.page.getByTestId('ewc-launcher').click();
    await b.page.reload();
    await expect.poll(() => b.page.frameLocator('[data-testid=ewc-frame]').getByTestId('conversation').getAttribute('data-state')).toBe('chatting');

    // Nothing the agent writes runs in the customer's chat.
    for (const text of PAYLOADS) expect((await w.p.api('POST', `/api/v1/agent/sessions/${second.sessionId}/messages`, agentToken, { text })).status).toBe(201);
    const again = b.page.frameLocator('[data-testid=ewc-frame]');
    await expect.poll(() => texts(again, 'agent').then((t) => t.length), { timeout: 20_000 }).toBe(PAYLOADS.length + 1);
    const chat = b.page.frames().find((f) => f.url().includes('/chat/web'))!;
    expect(await chat.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(await b.page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(await texts(again, 'agent')).toContain(PAYLOADS[0]);

    // The agent ends the first chat; the customer rates it and keeps the transcript.
    await agentView('Ann');
    await view.getByTestId('close-chat').click();
    await view.getByTestId('close-chat-confirm').click();
    await expect.poll(() => a.page.getByTestId('ended-by').getAttribute('data-by')).toBe('agent');
    await a.page.getByTestId('rating-option-1').check();
    await a.page.getByTestId('rating-comment').fill('Quick and kind');
    await a.page.getByTestId('rating-submit').click();
    await a.page.getByTestId('rating-thanks').waitFor();
    await expect.poll(() => view.getByTestId('rating-label').first().textContent()).toContain('非常满意');
    const [download] = await Promise.all([a.page.waitForEvent('download'), a.page.getByTestId('transcript').click()]);
    expect(download.suggestedFilename()).toBe(`chat-${sessionId}.txt`);
    const transcript = fs.readFileSync((await download.path())!, 'utf8');
    expect(transcript).toContain('You: Is anyone there? 😊');
    expect(transcript).toContain('Elite: Hello Ann');
    expect(transcript).toContain('— Rated: Very satisfied (Quick and kind)');

    expect(a.errors).toEqual([]);
    await a.context.close();
    await b.context.close();
  });

  it('loses no message and doubles none across a reload and a network drop in a 200-message exchange', async () => {
    const c = await openTab(browser, { locale: 'en-US' });
    await c.page.goto(`${w.p.url}/chat/web`);
    await startChat(c.page, 'Cy');
    await expect.poll(() => c.page.getByTestId('conversation').getAttribute('data-state')).toBe('chatting');
    const { sessionId } = await agentView('Cy');

    const N = 100;
    for (let i = 0; i < N; i++) {
      if (i === 40) await c.page.reload();
      if (i === 70) {
        // The network goes: no new connection, and the live one is cut.
        await c.context.setOffline(true);
        await w.p.platform.io.of('/webchat').disconnectSockets(true);
        await c.page.getByTestId('disconnected-banner').waitFor();
      }
      if (i === 76) await c.context.setOffline(false);
      await send(c.page, `c-${i}`);
      expect((await w.p.api('POST', `/api/v1/agent/sessions/${sessionId}/messages`, agentToken, { text: `a-${i}` })).status).toBe(201);
    }
    await expect.poll(() => c.page.locator('[data-testid=message][data-pending]').count(), { timeout: 30_000 }).toBe(0);
    await expect.poll(() => c.page.getByTestId('disconnected-banner').count()).toBe(0);
    // Every message once; on a failure the diff names the missing ones.
    const expected = (prefix: string) => Array.from({ length: N }, (_, i) => `${prefix}-${i}`);
    const shown = async () => [...(await texts(c.page, 'customer')), ...(await texts(c.page, 'agent'))].sort();
    await expect.poll(shown, { timeout: 30_000 }).toEqual([...expected('c'), ...expected('a')].sort());
    expect(await messages(c.page).count()).toBe(2 * N);
    // What the platform stored: each of the customer's messages once, in the order sent.
    const stored = await w.p.api<{ messages: { sender: string; text?: string }[] }>('GET', `/api/v1/agent/sessions/${sessionId}`, agentToken);
    expect(stored.body.messages.filter((m) => m.sender === 'customer').map((m) => m.text)).toEqual(Array.from({ length: N }, (_, i) => `c-${i}`));
    await c.context.close();
  });

  it("shows what the agent wrote while the feed was down, also when the customer's own message came back first", async () => {
    const d = await openTab(browser, { locale: 'en-US' });
    // The live feed refuses connections for a while; the page's other calls go through.
    let feedUp = true;
    w.p.platform.io.of('/webchat').use((_socket, next) => (feedUp ? next() : next(new Error('the feed is down for this test'))));
    await d.page.goto(`${w.p.url}/chat/web`);
    await startChat(d.page, 'Di');
    await expect.poll(() => d.page.getByTestId('conversation').getAttribute('data-state')).toBe('chatting');
    const { sessionId } = await agentView('Di');

    feedUp = false;
    await w.p.platform.io.of('/webchat').disconnectSockets(true);
    await d.page.getByTestId('disconnected-banner').waitFor();
    for (const text of ['gap-1', 'gap-2']) expect((await w.p.api('POST', `/api/v1/agent/sessions/${sessionId}/messages`, agentToken, { text })).status).toBe(201);
    // The customer's message is stored after them, and its answer shows it before the feed is back.
    await send(d.page, 'after the gap');
    await expect.poll(() => texts(d.page, 'customer')).toEqual(['after the gap']);
    expect(await d.page.locator('[data-testid=message][data-pending]').count()).toBe(0);

    feedUp = true;
    await expect.poll(() => d.page.getByTestId('disconnected-banner').count(), { timeout: 15_000 }).toBe(0);
    await expect.poll(() => texts(d.page, 'agent'), { timeout: 10_000 }).toEqual(['gap-1', 'gap-2']);
    expect(await texts(d.page, 'customer')).toEqual(['after the gap']);
    await d.context.close();
  });

  it('cannot be embedded by a page outside allowedOrigins', async () => {
    const d = await openTab(browser, { locale: 'en-US' });
    await d.page.goto(elsewhere.origin);
    await d.page.getByTestId('ewc-launcher').click();
    await expect.poll(() => d.errors.some((e) => e.includes('frame-ancestors')), { timeout: 10_000 }).toBe(true);
    expect(await d.page.frameLocator('[data-testid=ewc-frame]').getByTestId('prechat-form').count()).toBe(0);
    await d.context.close();
  });

  it('takes a message outside hours, in Chinese, which an agent of that queue handles', async () => {
    const e = await openTab(browser, { locale: 'zh-CN' });
    await e.page.goto(`${w.p.url}/chat/web`);
    expect(await e.page.getAttribute('html', 'lang')).toBe('zh-CN');
    await e.page.getByTestId('queue-select').selectOption('3');
    await expect.poll(() => e.page.getByTestId('queue-reason').getAttribute('data-reason')).toBe('closed-hours');
    await e.page.getByTestId('left-name').fill('小王');
    await e.page.getByTestId('left-contact').fill('138 0000 0000');
    await e.page.getByTestId('left-text').fill('明天上午请回电');
    await e.page.getByTestId('left-submit').click();
    await e.page.getByTestId('left-done').waitFor();

    const night = await openTab(browser);
    await login(night.page, w.p.url, 'night');
    await night.page.getByTestId('left-messages-tab').click();
    const item = night.page.locator('[data-testid=left-message-item]', { hasText: '138 0000 0000' });
    await item.waitFor();
    expect(await item.textContent()).toContain('明天上午请回电');
    await item.getByTestId('left-message-handled').click();
    await expect.poll(() => night.page.locator('[data-testid=left-message-item]', { hasText: '138 0000 0000' }).count()).toBe(0);
    await e.context.close();
    await night.context.close();
  });

  it('works from the keyboard alone, passes an axe-core audit, and fits a phone', async () => {
    const axe = fs.readFileSync(path.join(REPO, 'node_modules/axe-core/axe.min.js'), 'utf8');
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 375, height: 667 }, userAgent: PHONE, bypassCSP: true });
    const page = await context.newPage();
    const audit = async (state: string) => {
      await page.addScriptTag({ content: axe });
      const result = await page.evaluate(async () => {
        const r = await (window as unknown as { axe: { run(o: unknown): Promise<{ violations: { id: string; impact: string; nodes: unknown[] }[] }> } }).axe.run({
          runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
        });
        return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length }));
      });
      expect(result.filter((v) => v.impact === 'serious' || v.impact === 'critical'), `axe on ${state}`).toEqual([]);
    };
    const focused = () => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? '');
    const tabTo = async (testId: string) => {
      for (let i = 0; i < 25 && (await focused()) !== testId; i++) await page.keyboard.press('Tab');
      expect(await focused()).toBe(testId);
    };

    await page.goto(`${w.p.url}/chat/web`);
    await page.getByTestId('prechat-form').waitFor();
    await audit('the pre-chat form');
    await tabTo('nickname');
    await page.keyboard.type('Kim');
    await tabTo('start');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('conversation').getAttribute('data-state')).toBe('chatting');
    const { sessionId } = await agentView('Kim');
    await tabTo('composer');
    await page.keyboard.type('Typed without a mouse');
    await page.keyboard.press('Enter');
    await tabTo('emoticon-button');
    await page.keyboard.press('Enter');
    await page.getByTestId('emoticon-picker').waitFor();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('emoticon-picker').count()).toBe(0);
    expect(await page.getByTestId('composer').inputValue()).toBe('/::~');
    await tabTo('composer');
    await page.keyboard.press('Enter');
    expect((await w.p.api('POST', `/api/v1/agent/sessions/${sessionId}/messages`, agentToken, { text: 'Got it /::)' })).status).toBe(201);
    await expect.poll(() => texts(page, 'agent')).toEqual([expect.stringContaining('Got it')]);
    // New messages are announced to screen readers.
    await expect.poll(() => page.getByTestId('announcer').textContent()).toContain('Got it');
    await audit('the chat');
    await page.screenshot({ path: path.join(SHOTS, 'webchat-phone.png') });
    // Nothing sticks out of a phone's width.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);

    await tabTo('end-chat');
    await page.keyboard.press('Enter');
    // The question takes the focus on its safe answer; the other one is just before it.
    await expect.poll(focused).toBe('end-cancel');
    await page.keyboard.press('Shift+Tab');
    expect(await focused()).toBe('end-confirm');
    await page.keyboard.press('Enter');
    await page.getByTestId('rating-form').waitFor();
    await tabTo('rating-option-1');
    await page.keyboard.press('Space');
    await tabTo('rating-submit');
    await page.keyboard.press('Enter');
    await page.getByTestId('rating-thanks').waitFor();
    await audit('the end of the chat');
    const stored = await w.p.api<{ rating: { ratingId: number } | null; closedBy: string }>('GET', `/api/v1/agent/sessions/${sessionId}`, agentToken);
    expect(stored.body).toMatchObject({ closedBy: 'customer', rating: { ratingId: 1 } });
    await context.close();

    // The desktop layout, for the docs.
    const desk = await openTab(browser, { locale: 'en-US', width: 1280, height: 800 });
    await desk.page.goto(`${w.p.url}/chat/web`);
    await startChat(desk.page, 'Dee');
    const dee = await agentView('Dee');
    await send(desk.page, 'Hello! Where is my parcel? /::)');
    expect((await w.p.api('POST', `/api/v1/agent/sessions/${dee.sessionId}/messages`, agentToken, { text: 'Hi Dee, it left the warehouse this morning /:strong' })).status).toBe(201);
    await expect.poll(() => messages(desk.page).count()).toBe(2);
    await desk.page.screenshot({ path: path.join(SHOTS, 'webchat-desktop.png') });
    await desk.context.close();
  });
});
