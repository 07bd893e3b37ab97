/**
 * Message content is never markup: a corpus of known XSS payloads sent by a customer (and by
 * another agent's customer, watched by a supervisor) is rendered in real Chromium; none may run
 * script, restyle the page or leak the agent's token. The CSP would stop most of them anyway;
 * this checks the rendering itself, so the test also disables nothing and watches everything.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, openTab } from './support/browser.js';
import { login } from './support/console.js';
import { startWorld, type World } from './support/platform.js';
import { PAYLOADS, RUN } from './support/xss-corpus.js';


describe('message content never runs or restyles', () => {
  let browser: Browser;
  let w: World;
  let page: Page;
  const dialogs: string[] = [];
  const outbound: string[] = [];

  beforeAll(async () => {
    browser = await launch();
    w = await startWorld();
  });

  afterAll(async () => {
    await browser?.close();
    await w?.close();
  });

  it(`renders ${PAYLOADS.length} payloads as literal text`, async () => {
    const tab = await openTab(browser);
    page = tab.page;
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    page.on('request', (r) => {
      const url = new URL(r.url());
      if (url.hostname !== '127.0.0.1') outbound.push(r.url());
    });
    await login(page, w.p.url, 'elite');
    await page.getByTestId('agent-page').waitFor();
    await page.getByTestId('status-select').selectOption('online');
    const token = await page.evaluate(() => sessionStorage.getItem('ewc.auth'));
    expect(token).toBeTruthy();

    await w.p.tpi({ type: 1000, clientId: 'attacker', nickname: `<img src=x onerror=${RUN}>`, queueId: 1, from: 'PC' });
    const sessionId = (await w.tp.waitFor(() => w.tp.ofName('create')[0])).body.sessionId as number;
    for (const text of PAYLOADS) expect((await w.p.tpi({ type: 2001, sessionId, clientId: 'attacker', text })).result).toBe(1);
    // A valid custom emoticon still shows as an image.
    await w.p.tpi({ type: 2001, sessionId, clientId: 'attacker', text: `ok <img src='https://cdn.example/custom.gif'> ok` });

    await page.locator(`[data-testid=chat-list-item][data-session-id="${sessionId}"]`).click();
    const view = page.locator(`[data-testid=chat-view][data-session-id="${sessionId}"]`);
    await expect.poll(() => view.locator('[data-testid=message][data-sender=customer]').count(), { timeout: 20_000 }).toBe(PAYLOADS.length + 1);
    // Let images try to load and error, handlers (if any) fire.
    await page.waitForTimeout(1_000);
    // Hover and click what an attacker hoped to plant.
    for (const id of ['xss-link', 'xss-button']) {
      if ((await page.locator(`#${id}`).count()) > 0) await page.locator(`#${id}`).click({ timeout: 1_000 }).catch(() => undefined);
    }

    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(dialogs).toEqual([]);
    // No planted elements: only the safe custom emoticon image, nothing with handlers or styles.
    const planted = await view.getByTestId('message-list').evaluate((list) => {
      const bad: string[] = [];
      for (const el of list.querySelectorAll('*')) {
        const tag = el.tagName.toLowerCase();
        if (['script', 'style', 'iframe', 'object', 'embed', 'svg', 'math', 'form', 'input', 'base', 'meta', 'link', 'video', 'audio', 'a', 'details', 'textarea', 'noscript', 'title'].includes(tag)) bad.push(tag);
        for (const attr of el.getAttributeNames()) if (attr.startsWith('on')) bad.push(`${tag}[${attr}]`);
        if (tag === 'img' && el.getAttribute('data-testid') === 'custom-emoticon' && !/^https?:\/\//.test(el.getAttribute('src') ?? '')) bad.push(`img[src=${el.getAttribute('src')}]`);
      }
      return bad;
    });
    expect(planted).toEqual([]);
    const customs = view.getByTestId('custom-emoticon');
    expect(await customs.count()).toBe(1);
    expect(await customs.getAttribute('src')).toBe('https://cdn.example/custom.gif');
    // Each payload is there as the literal characters typed.
    const texts = await view.locator('[data-testid=message][data-sender=customer]').allTextContents();
    expect(texts.some((t) => t.includes(`<script>${RUN}</script>`))).toBe(true);
    expect(texts.some((t) => t.includes('<style>body{display:none}</style>'))).toBe(true);
    // The page is not restyled, and the token went nowhere.
    expect(await page.evaluate(() => getComputedStyle(document.body).display)).not.toBe('none');
    expect(await page.getByTestId('composer-input').first().isVisible()).toBe(true);
    expect(outbound.filter((u) => u.includes(token!) || u.includes('evil.example'))).toEqual([]);
    await tab.context.close();
  });
});
