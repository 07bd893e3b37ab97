// The composer: keystrokes and replies, each timed in the page.
import { sleep } from '../lib.mjs';
import { probeOf } from './probe.mjs';
import { collectTasks } from './tasks.mjs';

/** @typedef {import('./scenario.mjs').Scenario} Scenario */

/**
 * Types n characters into the composer of the chat on screen, one at a time, timing keydown → the
 * frame after its input event.
 * @param {Scenario} s
 * @param {number} n
 */
export async function keysChunk(s, n) {
  const probe = probeOf(s.page);
  const composer = s.page.locator('[data-testid=chat-view][data-active="true"] [data-testid=composer-input]');
  await composer.click();
  await composer.fill('');
  const text = 'The quick brown fox jumps over the lazy dog, 12345 and then some more words'.repeat(Math.ceil(n / 70)).slice(0, n);
  const t0 = await probe.call('now');
  await probe.call('armKeys');
  for (let i = 0; i < text.length; i++) {
    await s.page.keyboard.type(/** @type {string} */ (text[i]));
    await probe.call('keysDone', [i + 1, 5_000]);
  }
  /** @type {number[]} */
  const samples = await probe.call('disarmKeys');
  s.acc.keys.push(...samples);
  s.acc.keysMissing += text.length - samples.length;
  if ((await composer.inputValue()) !== text) s.acc.typedOk = false;
  await collectTasks(s, 'keys', t0);
  await composer.fill('');
}

/**
 * Sends n replies with Enter, timing Enter → the frame showing the reply, and → the frame showing
 * it confirmed by the server.
 * @param {Scenario} s
 * @param {number} n
 */
export async function replyChunk(s, n) {
  const probe = probeOf(s.page);
  const composer = s.page.locator('[data-testid=chat-view][data-active="true"] [data-testid=composer-input]');
  const t0 = await probe.call('now');
  for (let i = 0; i < n; i++) {
    const token = `r${s.acc.replyShown.length}x${Math.random().toString(36).slice(2, 8)}`;
    await composer.fill(`好的，马上为您处理 ${token} /::)`);
    await probe.call('armReply', [token, 10_000]);
    await s.page.keyboard.press('Enter');
    /** @type {{ shownMs: number | null, confirmedMs: number | null }} */
    const r = await probe.get('replyResult');
    s.acc.replyShown.push(r.shownMs);
    s.acc.replyConfirmed.push(r.confirmedMs);
    await sleep(60);
  }
  await collectTasks(s, 'replies', t0);
}
