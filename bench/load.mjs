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
 * @param {{ url: string, seconds: number, connections: number, pipelining: number, body: () => string, tally: Tally, title: string }} options
 * @returns {Promise<any>} autocannon's result
 */
export function runLoad({ url, seconds, connections, pipelining, body, tally, title }) {
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
 * The figures of one measured run that the report uses.
 * @param {any} r autocannon's result
 */
export function summarize(r) {
  return {
    requestsPerSecond: { mean: r.requests.mean, stddev: r.requests.stddev, min: r.requests.min, max: r.requests.max },
    latencyMs: { mean: r.latency.mean, p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99, max: r.latency.max },
    requests: r.requests.total,
    durationSeconds: r.duration,
    status2xx: r['2xx'],
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    throughputBytesPerSecond: r.throughput.mean,
  };
}
