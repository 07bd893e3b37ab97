// One scenario in the browser: its console opened and logged in, what its rounds gather, its heap,
// and its figures at the end.
import { performance } from 'node:perf_hooks';
import { AGENT } from '../platform.mjs';
import { rng, stats } from './numbers.mjs';
import { installProbe } from './probe.mjs';
import { log } from './settings.mjs';
import { switchPlan } from './switching.mjs';
import { summarizeTasks } from './tasks.mjs';

/** @typedef {import('./tasks.mjs').TaskWindow} TaskWindow */

/**
 * @typedef {{
 *   name: string, label: string, chats: number, messages: number,
 *   url: string, password: string, token: string, pid: number | undefined,
 *   sessions: { sessionId: number, clientId: string }[],
 *   last: Map<number, { lastId: number, count: number }>,
 *   seed: { total: number, seconds: number },
 *   page: import('playwright-core').Page, context: import('playwright-core').BrowserContext,
 *   cdp: import('playwright-core').CDPSession, errors: string[], active: number | null,
 *   plan: ReturnType<typeof switchPlan>, acc: ReturnType<typeof newAcc>,
 *   result: Record<string, any>,
 * }} Scenario
 */

/** What the rounds of one scenario gather. */
function newAcc() {
  const tasks = () => /** @type {TaskWindow} */ ({ longTasks: [], loafs: [] });
  return {
    switchFour: { samples: /** @type {(number | null)[]} */ ([]), sessionIds: /** @type {number[]} */ ([]) },
    switchAll: { samples: /** @type {(number | null)[]} */ ([]), sessionIds: /** @type {number[]} */ ([]) },
    keys: /** @type {number[]} */ ([]),
    keysMissing: 0,
    typedOk: true,
    replyShown: /** @type {(number | null)[]} */ ([]),
    replyConfirmed: /** @type {(number | null)[]} */ ([]),
    live: {
      rng: rng(7),
      sent: 0,
      ok: 0,
      bad: 0,
      seconds: 0,
      gaps: /** @type {number[]} */ ([]),
      frames: 0,
      windowMs: 0,
      perChat: /** @type {Map<number, number>} */ (new Map()),
      visibility: /** @type {Set<string>} */ (new Set()),
    },
    tasks: { switching: tasks(), keys: tasks(), replies: tasks(), live: tasks() },
  };
}

/**
 * Opens the scenario's console in a browser context of its own, with the probe, and logs in
 * through the form; ready when every chat is listed and the first one shows its newest message.
 * @param {import('playwright-core').Browser} browser
 * @param {Awaited<ReturnType<typeof import('./platform.mjs').prepareScenario>>} p
 * @returns {Promise<Scenario>}
 */
export async function openConsole(browser, p) {
  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1400, height: 860 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  /** @type {string[]} */
  const errors = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  await page.addInitScript(installProbe);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');

  await page.goto(`${p.url}/login`);
  await page.getByTestId('login-username').fill(AGENT.username);
  await page.getByTestId('login-password').fill(p.password);
  const t0 = performance.now();
  await page.getByTestId('login-submit').click();
  const lastIds = Object.fromEntries([...p.last].map(([id, v]) => [id, v.lastId]));
  await page.waitForFunction(
    ({ n, lastIds: ids }) => {
      const doc = /** @type {any} */ (globalThis).document;
      if (doc.querySelectorAll('[data-testid=chat-list-item]').length < n) return false;
      const view = doc.querySelector('[data-testid=chat-view][data-active="true"]');
      if (!view) return false;
      const last = ids[view.getAttribute('data-session-id')];
      return last !== undefined && view.querySelector(`[data-testid=message][data-message-id="${last}"]`) !== null;
    },
    { n: p.chats, lastIds },
    { timeout: 60_000, polling: 'raf' },
  );
  const readyMs = performance.now() - t0;
  const active = Number(await page.locator('[data-testid=chat-view][data-active="true"]').getAttribute('data-session-id'));
  log(`${p.name}: logged in through the UI; ${p.chats} chats listed and the first one shown ${readyMs.toFixed(0)} ms after the click`);
  /** @type {Scenario} */
  const scenario = { ...p, page, context, cdp, errors, active, plan: /** @type {any} */ (null), acc: newAcc(), result: { readyMs } };
  scenario.plan = switchPlan(scenario);
  return scenario;
}

/** @param {Scenario} s */
export async function heap(s) {
  await s.cdp.send('HeapProfiler.collectGarbage').catch(() => undefined);
  const { metrics } = await s.cdp.send('Performance.getMetrics');
  const m = Object.fromEntries(metrics.map((x) => [x.name, x.value]));
  return { jsHeapUsedBytes: m.JSHeapUsedSize, jsHeapTotalBytes: m.JSHeapTotalSize, domNodes: m.Nodes, eventListeners: m.JSEventListeners };
}

/**
 * The figures of one scenario, from what its rounds gathered.
 * @param {Scenario} s
 */
export function finish(s) {
  const a = s.acc;
  const series = (/** @type {{ samples: (number | null)[], sessionIds: number[] }} */ x) => ({
    ...stats(x.samples),
    timeouts: x.samples.filter((v) => v === null).length,
    samples: x.samples,
    sessionIds: x.sessionIds,
  });
  const L = a.live;
  Object.assign(s.result, {
    switchFour: series(a.switchFour),
    switchAll: { ...series(a.switchAll), stride: s.plan.stride },
    switchTasks: summarizeTasks(a.tasks.switching),
    keys: { ...stats(a.keys), missing: a.keysMissing, typedOk: a.typedOk, samples: a.keys, tasks: summarizeTasks(a.tasks.keys) },
    replyShown: { ...stats(a.replyShown), timeouts: a.replyShown.filter((v) => v === null).length, samples: a.replyShown },
    replyConfirmed: {
      ...stats(a.replyConfirmed),
      timeouts: a.replyConfirmed.filter((v) => v === null).length,
      samples: a.replyConfirmed,
      tasks: summarizeTasks(a.tasks.replies),
    },
    live: {
      ...s.result.live,
      sent: L.sent,
      ok: L.ok,
      bad: L.bad,
      sendSeconds: L.seconds,
      ratePerSecond: L.sent / (L.seconds || 1),
      toChatOnScreen: L.perChat.get(/** @type {number} */ (s.active)) ?? 0,
      frames: L.frames,
      windowMs: L.windowMs,
      frameGapMs: stats(L.gaps),
      ...summarizeTasks(a.tasks.live),
      visibility: [...L.visibility].join(','),
    },
  });
}

