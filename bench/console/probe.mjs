// The page side: a probe installed before the console's own scripts. It runs in the browser and
// is serialized by Playwright, so installProbe uses nothing from outside its own body.

export function installProbe() {
  const g = /** @type {any} */ (globalThis);
  if (g.__bench) return;
  const { document, performance: perf, requestAnimationFrame, MessageChannel, PerformanceObserver } = g;
  /** @type {any} */
  const bench = { longTasks: [], loafs: [], keys: [], live: null };
  g.__bench = bench;
  const observe = (/** @type {string} */ type, /** @type {(e: any) => void} */ fn) => {
    try {
      new PerformanceObserver((/** @type {any} */ list) => {
        for (const e of list.getEntries()) fn(e);
      }).observe({ type, buffered: true });
    } catch {
      // not supported by this browser
    }
  };
  observe('longtask', (e) => bench.longTasks.push({ start: e.startTime, duration: e.duration }));
  observe('long-animation-frame', (e) =>
    bench.loafs.push({
      start: e.startTime,
      duration: e.duration,
      blocking: e.blockingDuration,
      // the frame's own rendering at its end: style, layout, paint
      renderMs: e.renderStart > 0 ? e.startTime + e.duration - e.renderStart : 0,
      scripts: (e.scripts ?? []).map((/** @type {any} */ s) => ({
        invoker: s.invoker,
        type: s.invokerType,
        fn: s.sourceFunctionName,
        url: s.sourceURL,
        pos: s.sourceCharPosition,
        duration: s.duration,
        forcedLayoutMs: s.forcedStyleAndLayoutDuration ?? 0,
      })),
    }),
  );

  /** Runs after the main thread has produced the next frame (rAF, then a task queued from it). */
  const afterFrame = (/** @type {(now: number) => void} */ done) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => done(perf.now());
    ch.port2.postMessage(0);
  };
  /** ms from `since` to the end of the first frame in which probe() holds; null after timeoutMs. */
  const whenShown = (/** @type {() => boolean} */ probe, /** @type {number} */ since, /** @type {number} */ timeoutMs) =>
    new Promise((resolve) => {
      const tick = () =>
        requestAnimationFrame(() => {
          if (probe()) afterFrame((now) => resolve(now - since));
          else if (perf.now() - since > timeoutMs) resolve(null);
          else tick();
        });
      tick();
    });
  const activeView = () => document.querySelector('[data-testid=chat-view][data-active="true"]');

  bench.now = () => perf.now();
  /** Long tasks and long animation frames since t0 (page time). */
  bench.since = (/** @type {number} */ t0) => ({
    t0,
    t1: perf.now(),
    longTasks: bench.longTasks.filter((/** @type {any} */ x) => x.start >= t0),
    loafs: bench.loafs.filter((/** @type {any} */ x) => x.start >= t0),
  });

  /** Chat switch: from the pointer going down to the frame that shows that chat, with its last message. */
  bench.armSwitch = (/** @type {number} */ sessionId, /** @type {number} */ lastId, /** @type {number} */ timeoutMs) => {
    const selector = `[data-testid=chat-view][data-active="true"][data-session-id="${sessionId}"] [data-testid=message][data-message-id="${lastId}"]`;
    bench.switchResult = new Promise((resolve) => {
      const down = (/** @type {any} */ e) => {
        document.removeEventListener('pointerdown', down, true);
        const t0 = e.timeStamp;
        void whenShown(() => document.querySelector(selector) !== null, t0, timeoutMs).then(resolve);
      };
      document.addEventListener('pointerdown', down, true);
    });
  };

  /** Keystroke: from keydown in the composer to the frame after its input event. */
  bench.armKeys = () => {
    bench.keys = [];
    /** @type {number | null} */
    let downAt = null;
    const isComposer = (/** @type {any} */ t) => !!t && typeof t.getAttribute === 'function' && t.getAttribute('data-testid') === 'composer-input';
    const down = (/** @type {any} */ e) => {
      if (isComposer(e.target)) downAt = e.timeStamp;
    };
    const input = (/** @type {any} */ e) => {
      if (!isComposer(e.target) || downAt === null) return;
      const t0 = downAt;
      downAt = null;
      requestAnimationFrame(() => afterFrame((now) => bench.keys.push(now - t0)));
    };
    document.addEventListener('keydown', down, true);
    document.addEventListener('input', input, true);
    bench.disarmKeys = () => {
      document.removeEventListener('keydown', down, true);
      document.removeEventListener('input', input, true);
      return bench.keys;
    };
  };
  bench.keysDone = (/** @type {number} */ n, /** @type {number} */ timeoutMs) =>
    new Promise((resolve) => {
      const t0 = perf.now();
      const check = () => (bench.keys.length >= n || perf.now() - t0 > timeoutMs ? resolve(bench.keys.length) : g.setTimeout(check, 1));
      check();
    });

  /** Reply: from Enter to the frame showing it (pending or confirmed), and to the frame showing it confirmed by the server. */
  bench.armReply = (/** @type {string} */ token, /** @type {number} */ timeoutMs) => {
    bench.replyResult = new Promise((resolve) => {
      const key = (/** @type {any} */ e) => {
        if (e.key !== 'Enter') return;
        document.removeEventListener('keydown', key, true);
        const t0 = e.timeStamp;
        const confirmed = () => {
          const view = activeView();
          if (!view) return false;
          const mine = view.querySelectorAll('[data-testid=message][data-sender=agent]');
          const last = mine[mine.length - 1];
          return !!last && String(last.textContent).includes(token);
        };
        const shown = () => {
          if (confirmed()) return true;
          const view = activeView();
          if (!view) return false;
          for (const p of view.querySelectorAll('[data-testid=pending-message]')) if (String(p.textContent).includes(token)) return true;
          return false;
        };
        void Promise.all([whenShown(shown, t0, timeoutMs), whenShown(confirmed, t0, timeoutMs)]).then(([shownMs, confirmedMs]) =>
          resolve({ shownMs, confirmedMs }),
        );
      };
      document.addEventListener('keydown', key, true);
    });
  };

  /** Live phase: every frame's start time, until stopped. */
  bench.startLive = () => {
    const live = { on: true, frames: /** @type {number[]} */ ([]), t0: perf.now() };
    bench.live = live;
    const loop = (/** @type {number} */ ts) => {
      if (!live.on) return;
      live.frames.push(ts);
      requestAnimationFrame(loop);
    };
    requestAnimationFrame(loop);
    return live.t0;
  };
  bench.stopLive = () => {
    const live = bench.live;
    live.on = false;
    return { ...bench.since(live.t0), frames: live.frames, visibility: document.visibilityState };
  };
}

/** @param {import('playwright-core').Page} page */
export const probeOf = (page) => ({
  /**
   * @template R
   * @param {string} fn name of a function of the probe
   * @param {unknown[]} [args]
   * @returns {Promise<R>}
   */
  call: (fn, args = []) =>
    page.evaluate(([name, list]) => {
      const bench = /** @type {any} */ (globalThis).__bench;
      return bench[/** @type {string} */ (name)](.../** @type {unknown[]} */ (list));
    }, /** @type {[string, unknown[]]} */ ([fn, args])),
  /** @returns {Promise<any>} */
  get: (/** @type {string} */ field) => page.evaluate((name) => /** @type {any} */ (globalThis).__bench[name], field),
});
