// The live phase: TPI messages arrive while the page records its frames, and afterwards the
// console must show what arrived.
import { performance } from 'node:perf_hooks';
import { json, sleep, waitFor } from '../lib.mjs';
import { lastMessages } from './platform.mjs';
import { probeOf } from './probe.mjs';
import { settings, TPI } from './settings.mjs';
import { customerText } from './texts.mjs';

/** @typedef {import('./scenario.mjs').Scenario} Scenario */
/** @typedef {import('./tasks.mjs').LongTask} LongTask */

/**
 * TPI 2001 at a steady rate into random chats of the scenario, while the page records its frames.
 * @param {Scenario} s
 * @param {number} seconds
 */
export async function liveChunk(s, seconds) {
  const probe = probeOf(s.page);
  const L = s.acc.live;
  const total = Math.round(seconds * settings.liveRate);
  let ok = 0;
  let bad = 0;
  /** @type {Promise<void>[]} */
  const inFlight = [];
  await probe.call('startLive');
  const t0 = performance.now();
  for (let i = 0; i < total; i++) {
    const due = t0 + (i * 1000) / settings.liveRate;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    const chat = Math.floor(L.rng() * s.sessions.length);
    const target = /** @type {{ sessionId: number, clientId: string }} */ (s.sessions[chat]);
    L.perChat.set(target.sessionId, (L.perChat.get(target.sessionId) ?? 0) + 1);
    const n = L.sent + i;
    inFlight.push(
      json('POST', `${s.url}${TPI}`, {
        body: { type: 2001, sessionId: target.sessionId, clientId: target.clientId, time: Date.now(), text: `live ${n}: ${customerText(chat, 1000 + n)}` },
      }).then(
        (a) => {
          if (a.result === 1) ok++;
          else bad++;
        },
        () => {
          bad++;
        },
      ),
    );
  }
  await Promise.all(inFlight);
  L.seconds += (performance.now() - t0) / 1000;
  // The frames until the last push has surely been handled.
  await sleep(300);
  /** @type {{ t0: number, t1: number, frames: number[], longTasks: LongTask[], loafs: any[], visibility: string }} */
  const w = await probe.call('stopLive');
  for (let i = 1; i < w.frames.length; i++) L.gaps.push(/** @type {number} */ (w.frames[i]) - /** @type {number} */ (w.frames[i - 1]));
  L.frames += w.frames.length;
  L.windowMs += w.t1 - w.t0;
  L.visibility.add(w.visibility);
  L.sent += total;
  L.ok += ok;
  L.bad += bad;
  s.acc.tasks.live.longTasks.push(...w.longTasks);
  s.acc.tasks.live.loafs.push(...w.loafs);
}

/**
 * After the live phase: the chat on screen shows its newest message, and the unread count in the
 * title covers what went to the other chats.
 * @param {Scenario} s
 */
export async function checkDelivery(s) {
  const L = s.acc.live;
  const last = await lastMessages(s.url, s.token);
  const activeLast = s.active === null ? undefined : last.get(s.active)?.lastId;
  const shown = await s.page
    .locator(`[data-testid=chat-view][data-active="true"] [data-testid=message][data-message-id="${activeLast}"]`)
    .waitFor({ timeout: 5_000 })
    .then(
      () => true,
      () => false,
    );
  const expectedUnread = [...L.perChat].filter(([id]) => id !== s.active).reduce((a, [, n]) => a + n, 0);
  const unreadInTitle = async () => Number(/^\((\d+)\)/.exec(await s.page.title())?.[1] ?? 0);
  const titleUnread = await waitFor('the unread count in the title', async () => ((await unreadInTitle()) === expectedUnread ? expectedUnread : undefined), 5_000, 100).catch(
    unreadInTitle,
  );
  return { shownInChatOnScreen: shown, expectedUnread, titleUnread };
}
