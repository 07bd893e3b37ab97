// The load: autocannon, the same settings and the same bodies for every target. Each request
// is a TPI 2001 (a customer's text) for the next session in turn; every answer is read and its
// `result` checked.
import autocannon from 'autocannon';

export const TPI_PATH = '/EliteWebChat/tpi';

/**
 * Builds the 2001 bodies, rotating over the sessions. One generator is shared by every run
 * against one target, so warm-up and measurement continue the same sequence.
 * @param {{ sessionId: number, clientId: string }[]} sessions
 */
export function textBodies(sessions) {
  let n = 0;
  return () => {
    const s = sessions[n % sessions.length];
    n++;
    // A typical short chat line, with an emoticon code as the TPI carries them.
    return JSON.stringify({ type: 2001, sessionId: s?.sessionId, clientId: s?.clientId, time: Date.now(), text: `Hello, I have a question about my order #${n} /::)` });
  };
}

/**
 * Answer tally, over every run that shares it (warm-up and measurement).
 * @typedef {{ ok: number, notOk: number, unreadable: number, non2xx: number, samples: string[] }} Tally
 * @returns {Tally}
 */
export function newTally() {
  return { ok: 0, notOk: 0, unreadable: 0, non2xx: 0, samples: [] };
}

/**
 * One autocannon run.
 * @param {{ url: string, seconds: number, connections: number, pipelining: number, body: () => string, tally: Tally, title: string, overallRate?: number }} options
 * (overallRate: requests a second over all connections; unset: as fast as answered)
 * @returns {Promise<import('autocannon').Result>}
 */
export function runLoad({ url, seconds, connections, pipelining, body, tally, title, overallRate }) {
  const note = (/** @type {string} */ sample) => {
    if (tally.samples.length < 5) tally.samples.push(sample.slice(0, 300));
  };
  return autocannon({
    title,
    url,
    connections,
    pipelining,
    duration: seconds,
    timeout: 10,
    ...(overallRate ? { overallRate } : {}),
    requests: [
      {
        method: 'POST',
        path: TPI_PATH,
        headers: { 'content-type': 'application/json' },
        setupRequest: (/** @type {any} */ req) => ({ ...req, body: body() }),
        onResponse: (/** @type {number} */ status, /** @type {string} */ text) => {
          if (status < 200 || status > 299) {
            tally.non2xx++;
            note(`HTTP ${status}: ${text}`);
            return;
          }
          let answer;
          try {
            answer = JSON.parse(text);
          } catch {
            tally.unreadable++;
            note(`unreadable: ${text}`);
            return;
          }
          if (answer && answer.result === 1) {
            tally.ok++;
          } else {
            tally.notOk++;
            note(text);
          }
        },
      },
    ],
  });
}

/**
 * The figures of one target over its measured runs (rounds). Requests per second: all requests
 * over all the measured time. Latency: the mean weighted by requests, the median of the rounds'
 * p50 and the worst of their p90, p99 and max (autocannon gives percentiles, not histograms).
 * @param {import('autocannon').Result[]} results autocannon's results, one per round
 * @param {{ cpuSeconds?: number, mainThreadCpuSeconds?: number }[]} [cpu] the server's CPU time per round: all threads, and its main thread
 */
export function combine(results, cpu = []) {
  const sum = (/** @type {(r: import('autocannon').Result) => number} */ f) => results.reduce((a, r) => a + f(r), 0);
  const requests = sum((r) => r.requests.total);
  const duration = sum((r) => r.duration);
  const median = (/** @type {number[]} */ v) => {
    const s = [...v].sort((a, b) => a - b);
    const m = Math.floor(s.length / 2);
    return s.length % 2 === 1 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
  };
  const total = (/** @type {'cpuSeconds' | 'mainThreadCpuSeconds'} */ key) =>
    cpu.length === results.length && cpu.every((c) => c[key] !== undefined) ? cpu.reduce((a, c) => a + (c[key] ?? 0), 0) : undefined;
  const cpuSeconds = total('cpuSeconds');
  const mainThreadCpuSeconds = total('mainThreadCpuSeconds');
  return {
    requestsPerSecond: requests / duration,
    latencyMs: {
      mean: sum((r) => r.latency.mean * r.requests.total) / (requests || 1),
      p50: median(results.map((r) => r.latency.p50)),
      p90: Math.max(...results.map((r) => r.latency.p90)),
      p99: Math.max(...results.map((r) => r.latency.p99)),
      max: Math.max(...results.map((r) => r.latency.max)),
    },
    requests,
    durationSeconds: duration,
    status2xx: sum((r) => r['2xx']),
    non2xx: sum((r) => r.non2xx),
    errors: sum((r) => r.errors),
    timeouts: sum((r) => r.timeouts),
    cpuCoresUsed: cpuSeconds === undefined ? undefined : cpuSeconds / duration,
    cpuMicrosecondsPerRequest: cpuSeconds === undefined ? undefined : (cpuSeconds * 1e6) / (requests || 1),
    mainThreadCpuMicrosecondsPerRequest: mainThreadCpuSeconds === undefined ? undefined : (mainThreadCpuSeconds * 1e6) / (requests || 1),
    rounds: results.map((r, i) => ({
      requestsPerSecond: r.requests.total / r.duration,
      requests: r.requests.total,
      durationSeconds: r.duration,
      latencyMs: { mean: r.latency.mean, p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99, max: r.latency.max },
      cpuCoresUsed: cpu[i]?.cpuSeconds === undefined ? undefined : (cpu[i]?.cpuSeconds ?? 0) / r.duration,
      mainThreadCoresUsed: cpu[i]?.mainThreadCpuSeconds === undefined ? undefined : (cpu[i]?.mainThreadCpuSeconds ?? 0) / r.duration,
    })),
  };
}
