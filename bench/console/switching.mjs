// Switching chats: which chat to open next, and the timed mouse clicks on the chat list.
import { sleep } from '../lib.mjs';
import { rng } from './numbers.mjs';
import { probeOf } from './probe.mjs';
import { collectTasks } from './tasks.mjs';

/** @typedef {import('./scenario.mjs').Scenario} Scenario */

/** A stride that visits every chat before coming back to one. */
function strideFor(/** @type {number} */ n) {
  for (const s of [7, 3, 1]) {
    let a = s;
    let b = n;
    while (b) [a, b] = [b, a % b];
    if (a === 1) return s % n || 1;
  }
  return 1;
}

/**
 * Which chat to open next. `four`: one of the first four chats, at random (after a warm-up these
 * are the views the console keeps rendered). `all`: every chat in turn with a stride, so a chat
 * comes back only after all the others (for 20 chats: never one of the views kept rendered).
 * @param {Scenario} s
 */
export function switchPlan(s) {
  const ids = s.sessions.map((x) => x.sessionId);
  const four = ids.slice(0, Math.min(4, ids.length));
  const r = rng(42);
  const stride = strideFor(ids.length);
  let k = 0;
  return {
    ids,
    four,
    stride,
    /** @param {'four' | 'all'} kind */
    next(kind) {
      for (;;) {
        const id = kind === 'four' ? /** @type {number} */ (four[Math.floor(r() * four.length)]) : /** @type {number} */ (ids[(k++ * stride) % ids.length]);
        if (id !== s.active) return id;
      }
    },
  };
}

/**
 * Clicks a chat-list item with the mouse and times, in the page, pointer down → the frame that
 * shows that chat with its newest message.
 * @param {Scenario} s
 * @param {number} sessionId
 * @returns {Promise<number | null>}
 */
async function switchTo(s, sessionId) {
  const probe = probeOf(s.page);
  const lastId = /** @type {{ lastId: number }} */ (s.last.get(sessionId)).lastId;
  const item = s.page.locator(`[data-testid=chat-list-item][data-session-id="${sessionId}"]`);
  await item.scrollIntoViewIfNeeded();
  const box = await item.boundingBox();
  if (!box) throw new Error(`${s.name}: chat ${sessionId} is not in the list`);
  await probe.call('armSwitch', [sessionId, lastId, 10_000]);
  await s.page.mouse.click(box.x + box.width / 2, box.y + Math.min(box.height / 2, 20));
  /** @type {number | null} */
  const took = await probe.get('switchResult');
  s.active = sessionId;
  // An agent reads a moment before switching again; the work a switch leaves behind (effects,
  // the views kept in the background) runs here.
  await sleep(60);
  return took;
}

/**
 * Unmeasured: every chat once (JIT, first renders), the four last so that they are kept rendered.
 * @param {Scenario} s
 */
export async function warmUpSwitching(s) {
  const { ids, four } = s.plan;
  for (const id of [...ids.filter((x) => !four.includes(x)), ...four]) if (id !== s.active) await switchTo(s, id);
  await sleep(500);
}

/**
 * @param {Scenario} s
 * @param {'four' | 'all'} kind
 * @param {number} n
 */
export async function switchChunk(s, kind, n) {
  // The four chats again first (unmeasured), so the "among 4" series only sees kept views.
  if (kind === 'four') for (const id of s.plan.four) if (id !== s.active) await switchTo(s, id);
  const t0 = await probeOf(s.page).call('now');
  const into = kind === 'four' ? s.acc.switchFour : s.acc.switchAll;
  for (let i = 0; i < n; i++) {
    const id = s.plan.next(kind);
    into.samples.push(await switchTo(s, id));
    into.sessionIds.push(id);
  }
  await collectTasks(s, 'switching', t0);
}
