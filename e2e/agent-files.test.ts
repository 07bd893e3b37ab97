/**
 * An agent sends images and files from the real console, in real Chromium (issue 11), to a
 * customer whose web chat is embedded in a shop page of another origin: the file input, a paste
 * and a drop; the customer sees the image and a file card whose download, from the platform's
 * origin and without any token, saves the very bytes sent. What the platform refuses (an HTML
 * page, a file over the limit) is said in the console's language, and nothing is sent. The
 * screenshots of the composer (a file on its way, one refused) and of the widget's file card go
 * to docs/screenshots.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Browser, FrameLocator, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessagesAnswer } from '@elitewebchat/protocol';
import { launch, openTab, type Tab } from './support/browser.js';
import { login, SHOTS } from './support/console.js';
import { PASSWORD, startWorld, type World } from './support/platform.js';

const bytes = (...parts: (string | Buffer)[]) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : p)));
/** A PDF padded with comment lines to `size` bytes. */
function pdf(size: number): Buffer {
  const head = '%PDF-1.4\n1 0 obj<<>>endobj\n';
  const tail = 'trailer<<>>\n%%EOF\n';
  return bytes(head, `%${'x'.repeat(size - head.length - tail.length - 2)}\n`, tail);
}
const PDF = pdf(20 * 1024);
const PDF_NAME = '报价单 Q3.pdf';
const HTML = Buffer.from('<!doctype html><html><body><script>window.__xss=1</script></body></html>');
const MiB = 1024 * 1024;

/** A shop's page on its own origin, embedding the chat as the docs say. */
async function startShop(): Promise<{ origin: string; setPlatform(url: string): void; close(): Promise<void> }> {
  let platform = '';
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html><head><title>A shop</title></head><body><h1>A shop</h1><p>Products…</p>
<script src="${platform}/widget.js" data-channel="web" data-shadow="open" async></script></body></html>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    setPlatform: (url) => void (platform = url),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A real PNG drawn by Chromium: a small receipt, so the screenshots show something. */
async function drawPng(browser: Browser): Promise<Buffer> {
  const page = await browser.newPage();
  try {
    await page.setContent('<canvas id="c" width="240" height="150"></canvas>');
    const base64 = await page.evaluate(() => {
      const canvas = document.getElementById('c') as HTMLCanvasElement;
      const g = canvas.getContext('2d')!;
      g.fillStyle = '#fdf6e3';
      g.fillRect(0, 0, 240, 150);
      g.fillStyle = '#1a5fb4';
      g.fillRect(0, 0, 240, 28);
      g.fillStyle = '#ffffff';
      g.font = 'bold 15px sans-serif';
      g.fillText('RECEIPT  #A-1001', 12, 19);
      g.fillStyle = '#3b3f45';
      g.font = '13px sans-serif';
      [['Blue kettle', '39.00'], ['Tea cups ×4', '24.00'], ['Shipping', '6.00']].forEach(([item, price], i) => {
        g.fillText(item!, 12, 54 + i * 22);
        g.fillText(price!, 190, 54 + i * 22);
      });
      g.fillRect(12, 116, 216, 1);
      g.font = 'bold 14px sans-serif';
      g.fillText('Total', 12, 136);
      g.fillText('69.00', 186, 136);
      return canvas.toDataURL('image/png').split(',')[1] ?? '';
    });
    return Buffer.from(base64, 'base64');
  } finally {
    await page.close();
  }
}

async function startChat(where: FrameLocator, nickname: string): Promise<void> {
  await where.getByTestId('prechat-form').waitFor();
  await where.getByTestId('nickname').fill(nickname);
  await where.getByTestId('start').click();
  await where.getByTestId('conversation').waitFor();
}

/** Dispatches a paste of `files` (and `text`) on the element, as the browser does for a real one. */
async function paste(page: Page, selector: string, files: { name: string; type: string; base64: string }[], text = ''): Promise<void> {
  await page.evaluate(
    ({ selector, files, text }) => {
      const data = new DataTransfer();
      for (const f of files) data.items.add(new File([Uint8Array.from(atob(f.base64), (ch) => ch.charCodeAt(0))], f.name, { type: f.type }));
      if (text) data.setData('text/plain', text);
      document.querySelector(selector)!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    },
    { selector, files, text },
  );
}

/** Dispatches a drag of `files` over the element and their drop on it. */
async function drop(page: Page, selector: string, files: { name: string; type: string; base64: string }[]): Promise<void> {
  await page.evaluate(
    ({ selector, files }) => {
      const data = new DataTransfer();
      for (const f of files) data.items.add(new File([Uint8Array.from(atob(f.base64), (ch) => ch.charCodeAt(0))], f.name, { type: f.type }));
      const target = document.querySelector(selector)!;
      target.dispatchEvent(new DragEvent('dragenter', { dataTransfer: data, bubbles: true, cancelable: true }));
      target.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }));
      target.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
    },
    { selector, files },
  );
}

describe('agents send images and files to a web-chat customer', () => {
  let browser: Browser;
  let w: World;
  let shop: Awaited<ReturnType<typeof startShop>>;
  let agent: Tab;
  let visitor: Tab;
  let agentToken: string;
  let png: Buffer;
  let sessionId: number;
  let view: Locator;
  let frame: FrameLocator;

  /** The agent's messages of the chat as the platform holds them. */
  const agentMessages = async () =>
    (await w.p.api<MessagesAnswer>('GET', `/api/v1/agent/sessions/${sessionId}/messages?limit=500`, agentToken)).body.messages.filter((m) => m.sender === 'agent');
  const consoleMessages = (kind: string) => view.locator(`[data-testid=message][data-sender=agent][data-kind=${kind}]`);
  const widgetMessages = (kind: string) => frame.locator(`[data-testid=message][data-message-id][data-sender=agent][data-kind=${kind}]`);

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    browser = await launch();
    shop = await startShop();
    // A small MAX_UPLOAD_BYTES: files over it need not be large to be too large.
    w = await startWorld({ channels: [{ id: 'web', kind: 'web', queues: [1], allowedOrigins: [shop.origin] }] }, { maxUploadBytes: 4 * MiB });
    shop.setPlatform(w.p.url);
    png = await drawPng(browser);
    agentToken = await w.p.login('elite', PASSWORD);

    agent = await openTab(browser, { height: 900 });
    await login(agent.page, w.p.url, 'elite');
    await agent.page.getByTestId('status-select').selectOption('online');

    visitor = await openTab(browser, { locale: 'en-US', width: 1100, height: 800 });
    await visitor.page.goto(shop.origin);
    await visitor.page.getByTestId('ewc-launcher').click();
    frame = visitor.page.frameLocator('[data-testid=ewc-frame]');
    await startChat(frame, 'Ann');
    await frame.locator('[data-testid=conversation][data-state=chatting]').waitFor();

    const item = agent.page.locator('[data-testid=chat-list-item]', { hasText: 'Ann' }).first();
    await item.click();
    sessionId = Number(await item.getAttribute('data-session-id'));
    view = agent.page.locator(`[data-testid=chat-view][data-session-id="${sessionId}"]`);
    await view.getByTestId('composer-input').fill('Here are your receipt and the quote.');
    await view.getByTestId('composer-input').press('Enter');
    await frame.locator('[data-testid=message][data-message-id][data-sender=agent][data-kind=text]').waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await w?.close();
    await shop?.close();
  });

  it('sends a PNG and a PDF through the real file input; the widget shows the image and a file card whose download is the very bytes', async () => {
    await view.getByTestId('attach-input').setInputFiles([
      { name: 'receipt.png', mimeType: 'image/png', buffer: png },
      { name: PDF_NAME, mimeType: 'application/pdf', buffer: PDF },
    ]);
    // In the console: each once (its answer and its chat.message are one message), in the order chosen, the tray empty again.
    await expect.poll(() => consoleMessages('image').count()).toBe(1);
    await expect.poll(() => consoleMessages('file').count()).toBe(1);
    await expect.poll(() => view.getByTestId('upload').count()).toBe(0);
    const held = await agentMessages();
    expect(held.map((m) => m.kind)).toEqual(['text', 'image', 'file']);
    for (const m of held) expect(await view.locator(`[data-testid=message][data-message-id="${m.id}"]`).count()).toBe(1);
    expect(await consoleMessages('file').getByTestId('file-name').textContent()).toBe(PDF_NAME);
    await expect.poll(() => consoleMessages('image').locator('img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(240);

    // In the customer's widget: the image, loaded from the platform without a token.
    const image = widgetMessages('image').getByTestId('message-image');
    await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(240);
    expect(await image.getAttribute('src')).toMatch(new RegExp(`^${w.p.url}/webchat/files/[A-Za-z0-9_-]{24}$`));
    expect(await image.getAttribute('alt')).toBe('Image receipt.png');

    // And the file as a card: name, format, size, a download from the platform.
    const card = widgetMessages('file').getByTestId('file-card');
    expect(await card.getByTestId('file-name').textContent()).toBe(PDF_NAME);
    expect(await card.getByTestId('file-type').textContent()).toBe('PDF');
    expect(await card.getByTestId('file-size').textContent()).toBe('20 KB');
    const link = card.getByTestId('file-download');
    const href = (await link.getAttribute('href'))!;
    expect(href).toMatch(new RegExp(`^${w.p.url}/webchat/files/[A-Za-z0-9_-]{24}$`));
    expect([await link.getAttribute('download'), await link.getAttribute('rel'), await link.getAttribute('aria-label')]).toEqual([PDF_NAME, 'noopener noreferrer', `Download ${PDF_NAME} (20 KB)`]);
    const [saved] = await Promise.all([visitor.page.waitForEvent('download'), link.click()]);
    expect(fs.readFileSync((await saved.path())!)).toEqual(PDF);
    expect(saved.suggestedFilename()).toBe(PDF_NAME);
    // No token, no cookie: the link alone is enough.
    expect(Buffer.from(await (await fetch(href)).arrayBuffer())).toEqual(PDF);

    // The same after a reload (fetched, not pushed), and the shop's page never gets to them.
    await visitor.page.reload();
    await expect.poll(() => widgetMessages('file').getByTestId('file-name').textContent()).toBe(PDF_NAME);
    await expect.poll(() => widgetMessages('image').getByTestId('message-image').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(240);
    expect(await visitor.page.evaluate(() => document.querySelectorAll('img, a[download]').length)).toBe(0);
    await visitor.page.screenshot({ path: path.join(SHOTS, 'webchat-agent-file.png') });

    // A screenshot pasted into the reply box, and a PDF dropped on the composer, go too;
    // pasted text (with the picture a word processor puts beside it) stays text.
    const pngFile = { name: 'image.png', type: 'image/png', base64: png.toString('base64') };
    await paste(agent.page, `[data-session-id="${sessionId}"] [data-testid=composer-input]`, [pngFile], 'a row of a spreadsheet');
    await paste(agent.page, `[data-session-id="${sessionId}"] [data-testid=composer-input]`, [pngFile]);
    await drop(agent.page, `[data-session-id="${sessionId}"] [data-testid=composer]`, [{ name: 'dropped.pdf', type: 'application/pdf', base64: PDF.toString('base64') }]);
    await expect.poll(() => widgetMessages('image').count()).toBe(2);
    await expect.poll(() => widgetMessages('file').count()).toBe(2);
    expect((await agentMessages()).map((m) => m.kind)).toEqual(['text', 'image', 'file', 'image', 'file']);
    expect(await widgetMessages('file').last().getByTestId('file-name').textContent()).toBe('dropped.pdf');
    expect(agent.errors).toEqual([]);
    expect(visitor.errors).toEqual([]);
  });

  it('says in the console’s language that an HTML page is no format it takes, or that a file is too large, and sends nothing', async () => {
    const before = (await agentMessages()).length;
    const shownBefore = await frame.locator('[data-testid=message][data-message-id]').count();

    await view.getByTestId('attach-input').setInputFiles({ name: 'page.html', mimeType: 'text/html', buffer: HTML });
    const refused = view.locator('[data-testid=upload][data-state=failed]');
    await refused.waitFor();
    expect(await refused.getAttribute('data-problem')).toBe('upload.unsupported');
    expect(await refused.getByTestId('upload-name').textContent()).toBe('page.html');
    expect(await refused.getByTestId('upload-error').textContent()).toMatch(/^未发送：不支持此格式。平台接受 PDF, DOCX, .*, WEBP；不接受 HTML、SVG、脚本或程序。$/);

    // Over MAX_UPLOAD_BYTES (4 MiB here): the limit, as the platform said it.
    await view.getByTestId('attach-input').setInputFiles({ name: 'huge.pdf', mimeType: 'application/pdf', buffer: pdf(4 * MiB + 1) });
    const tooLarge = view.locator('[data-testid=upload][data-problem="upload.tooLarge"]');
    await tooLarge.waitFor({ timeout: 30_000 });
    expect(await tooLarge.getByTestId('upload-error').textContent()).toBe('未发送：文件超过了平台允许的 4 MB。');
    // Far over it, refused before it is read: the platform says its limit all the same.
    await view.getByTestId('attach-input').setInputFiles({ name: 'huger.pdf', mimeType: 'application/pdf', buffer: pdf(6 * MiB) });
    const huger = view.locator('[data-testid=upload][data-state=failed]', { hasText: 'huger.pdf' });
    await huger.waitFor({ timeout: 30_000 });
    expect([await huger.getAttribute('data-problem'), await huger.getByTestId('upload-error').textContent()]).toEqual(['upload.tooLarge', '未发送：文件超过了平台允许的 4 MB。']);
    await huger.getByTestId('upload-dismiss').click();

    // Nothing was sent: not to the platform, not to the customer.
    await new Promise((r) => setTimeout(r, 500));
    expect((await agentMessages()).length).toBe(before);
    expect(await frame.locator('[data-testid=message][data-message-id]').count()).toBe(shownBefore);
    await tooLarge.getByTestId('upload-dismiss').click();
    expect(await view.getByTestId('upload').count()).toBe(1);

    // The console's composer: one refused (still shown), one on its way (the upload slowed down to be seen).
    const cdp = await agent.context.newCDPSession(agent.page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 20, downloadThroughput: -1, uploadThroughput: 256 * 1024 });
    const QUOTE = pdf(2 * MiB);
    await view.getByTestId('attach-input').setInputFiles({ name: 'catalogue-2025.pdf', mimeType: 'application/pdf', buffer: QUOTE });
    const going = view.locator('[data-testid=upload][data-state=sending]');
    await going.waitFor();
    await expect.poll(() => going.locator('progress').evaluate((p: HTMLProgressElement) => p.value), { timeout: 20_000 }).toBeGreaterThan(20);
    expect(await going.getByTestId('upload-progress').textContent()).toMatch(/^发送中… \d+%$/);
    await agent.page.screenshot({ path: path.join(SHOTS, 'console-agent-files.png') });
    await expect.poll(() => going.count(), { timeout: 30_000 }).toBe(0);
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    await expect.poll(() => widgetMessages('file').last().getByTestId('file-name').textContent()).toBe('catalogue-2025.pdf');
    expect((await agentMessages()).length).toBe(before + 1);

    // Dismissed, the refusal is gone; nothing of the HTML ever ran anywhere.
    await refused.getByTestId('upload-dismiss').click();
    expect(await view.getByTestId('upload').count()).toBe(0);
    expect(await agent.page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    // Chromium logs each refused request; nothing else went wrong.
    expect(agent.errors.filter((e) => !/^console: Failed to load resource: the server responded with a status of 41[35] /.test(e))).toEqual([]);
  });
});
