// A child process of the connections benchmark that holds idle connections, so that thousands
// of sockets neither crowd the bench's own event loop (where latencies are timed) nor its file
// descriptors. Driven over IPC, one command at a time, each answered with the same id:
//   {cmd:'prepare', mode, url, channel, count, concurrency}
//        webchat: a visitor token for each of `count` visitors (POST …/webchat/{channel}/visitor)
//   {cmd:'connect', concurrency}
//        webchat: Socket.IO to /webchat with auth {token}, websocket only; connected once the
//                 platform's first `state` arrived (the connection is fully set up)
//        socketio: the same against the bare Socket.IO baseline (token: a made-up one)
//        engineio: an engine.io socket, websocket only; connected once the server's first message arrived
//        ws: a plain WebSocket
//   {cmd:'status'}  how many are open and how many dropped since
//   {cmd:'close'}   closes them all
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { clearTimeout, setTimeout } from 'node:timers';
import { Socket as EngineSocket } from 'engine.io-client';
import { io } from 'socket.io-client';
import WebSocket from 'ws';

/** @type {{ mode: 'webchat' | 'socketio' | 'engineio' | 'ws', url: string, channel: string, count: number }} */
let job = { mode: 'ws', url: '', channel: '', count: 0 };
/** @type {string[]} */
let tokens = [];
/** @type {{ close(): void }[]} */
const held = [];
let open = 0;
let dropped = 0;
/** Set by `close`: what ends after it is not a drop. */
let closing = false;
/** @type {Record<string, number>} */
const dropReasons = {};

/**
 * @template T
 * @param {number} count
 * @param {number} concurrency
 * @param {(i: number) => Promise<T>} task
 */
async function pool(count, concurrency, task) {
  let next = 0;
  const worker = async () => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

/** @param {string} reason */
const drop = (reason) => {
  if (closing) return;
  open--;
  dropped++;
  dropReasons[reason] = (dropReasons[reason] ?? 0) + 1;
};

/** @param {number} concurrency */
async function prepare(concurrency) {
  if (job.mode !== 'webchat') {
    tokens = Array.from({ length: job.count }, (_, i) => `t${process.pid}-${i}`);
    return { failures: 0 };
  }
  tokens = new Array(job.count);
  await pool(job.count, concurrency, async (i) => {
    const res = await globalThis.fetch(`${job.url}/api/v1/webchat/${job.channel}/visitor`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
      signal: globalThis.AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`POST …/visitor answered HTTP ${res.status}: ${text.slice(0, 300)}`);
    tokens[i] = JSON.parse(text).token;
  });
  return { failures: 0 };
}

/**
 * One connection, resolved once it is fully open (rejected on failure or after 30 s).
 * @param {string} token
 * @returns {Promise<void>}
 */
function connectOne(token) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no connection within 30 s')), 30_000);
    const done = (/** @type {Error | undefined} */ error) => {
      clearTimeout(timer);
      if (error) reject(error);
      else resolve();
    };
    if (job.mode === 'ws') {
      const ws = new WebSocket(job.url.replace(/^http/, 'ws'));
      ws.once('open', () => {
        open++;
        held.push({ close: () => ws.terminate() });
        ws.once('close', () => drop('closed by the server'));
        done(undefined);
      });
      ws.once('error', (error) => done(error));
      return;
    }
    if (job.mode === 'engineio') {
      const socket = new EngineSocket(job.url.replace(/^http/, 'ws'), { path: '/engine.io/', transports: ['websocket'] });
      socket.once('message', () => {
        open++;
        held.push({ close: () => socket.close() });
        socket.once('close', (reason) => drop(reason));
        done(undefined);
      });
      socket.once('error', (error) => done(error instanceof Error ? error : new Error(String(error))));
      return;
    }
    const socket = io(`${job.url}/webchat`, { path: '/socket.io', auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true, timeout: 30_000 });
    socket.once('connect_error', (error) => done(error));
    socket.once('state', () => {
      open++;
      held.push({ close: () => socket.close() });
      socket.once('disconnect', (reason) => drop(reason));
      done(undefined);
    });
  });
}

/** @param {number} concurrency */
async function connectAll(concurrency) {
  let failed = 0;
  /** @type {string[]} */
  const errors = [];
  await pool(tokens.length, concurrency, async (i) => {
    try {
      await connectOne(/** @type {string} */ (tokens[i]));
    } catch (error) {
      failed++;
      if (errors.length < 5) errors.push(String(error instanceof Error ? error.message : error));
    }
  });
  return { connected: open, failed, errors };
}

process.on('message', (/** @type {any} */ m) => {
  void (async () => {
    const t0 = performance.now();
    try {
      /** @type {Record<string, unknown>} */
      let answer;
      switch (m.cmd) {
        case 'prepare':
          closing = false;
          job = { mode: m.mode, url: m.url, channel: m.channel, count: m.count };
          answer = await prepare(m.concurrency);
          break;
        case 'connect':
          answer = await connectAll(m.concurrency);
          break;
        case 'status':
          answer = { open, dropped, dropReasons };
          break;
        case 'close':
          closing = true;
          for (const h of held.splice(0)) h.close();
          open = 0;
          answer = {};
          break;
        default:
          throw new Error(`unknown command ${m.cmd}`);
      }
      process.send?.({ id: m.id, ok: true, seconds: (performance.now() - t0) / 1000, ...answer });
    } catch (error) {
      process.send?.({ id: m.id, ok: false, error: String(error instanceof Error ? (error.stack ?? error.message) : error) });
    }
  })();
});
process.on('disconnect', () => process.exit(0));
