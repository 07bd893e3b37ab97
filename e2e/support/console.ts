/** What every browser test does in the console: log in through the form; where screenshots go. */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { PASSWORD } from './platform.js';

/** docs/screenshots, refreshed by the tests that show each main screen. */
export const SHOTS = path.resolve(import.meta.dirname, '../../docs/screenshots');

/** Logs in through the login form, and waits until the console shows who is logged in. */
export async function login(page: Page, url: string, username: string): Promise<void> {
  await page.goto(`${url}/login`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('me').waitFor();
}
