/**
 * Debian's Chromium driven by playwright-core: no browser download, the one the project's
 * scripts install (scripts/install-browser.sh).
 */
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--autoplay-policy=no-user-gesture-required',
    ],
  });
}

export interface Tab {
  context: BrowserContext;
  page: Page;
  /** Uncaught errors and console errors the page produced. */
  errors: string[];
}

export async function openTab(browser: Browser, opts: { locale?: string; width?: number; height?: number; userAgent?: string } = {}): Promise<Tab> {
  const context = await browser.newContext({
    ...(opts.userAgent ? { userAgent: opts.userAgent } : {}),
    locale: opts.locale ?? 'zh-CN',
    viewport: { width: opts.width ?? 1400, height: opts.height ?? 860 },
    deviceScaleFactor: 1,
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  return { context, page, errors };
}
