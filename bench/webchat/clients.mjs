// The connections benchmark's clients: holder children (holder.mjs) for the idle connections,
// the agents' live feeds that time each customer message's arrival, and the chatting web
// visitors and TPI customers that send them.
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { clearTimeout, setTimeout } from 'node:timers';
import { Socket as EngineSocket } from 'engine.io-client';
import { io } from 'socket.io-client';
import WebSocket from 'ws';
import { json, startNode, stopChild } from '../lib.mjs';
import { here, pool } from './common.mjs';

/**
 * Holder children, each holding its share of the idle connections.
 * @param {number} count
 * @param {(() => Promise<void>)[]} cleanups
 */
export function startHolders(count, cleanups) {
  const holders = Array.from({ length: count }, (_, i) => {
    const proc = startNode(`holder ${i + 1}`, [path.join(here, 'holder.mjs')], { ipc: true, cwd: here });
    cleanups.push(() => stopChild(proc, 5_000));
    let asked = 0;
    /**
     * @param {Record<string, unknown>} command
     * @param {number} [timeoutMs]
     * @returns {Promise<any>}
     */
    const ask = (command, timeoutMs = 120_000) => {
      const id = ++asked;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${proc.name}: no answer to ${command.cmd} within ${timeoutMs / 1000} s`)), timeoutMs);
        const onMessage = (/** @type {any} */ m) => {
          if (m?.id !== id) return;
          clearTimeout(timer);
          proc.child.off('message', onMessage);
          if (m.ok) resolve(m);
          else reject(new Error(`${proc.name}: ${command.cmd} failed: ${m.error}`));
        };
        proc.child.on('message', onMessage);
        void proc.exited.then((code) => reject(new Error(`${proc.name} exited with ${code}:\n${proc.output.slice(-20).join('\n')}`)));
        proc.child.send({ ...command, id });
      });
    };
    return { proc, ask };
  });
  /**
   * Splits `total` over the holders.
   * @param {number} total
   */
  const shares = (total) => holders.map((_, i) => Math.floor(total / holders.length) + (i < total % holders.length ? 1 : 0));
  return {
    holders,
    /**
     * Each holder prepares its share (webchat: visitor tokens), then all connect.
     * @param {{ mode: 'webchat' | 'socketio' | 'engineio' | 'ws', url: string, channel?: string, total: number, concurrency: number }} job
     */
    async prepare(job) {
      const parts = shares(job.total);
      const answers = await Promise.all(holders.map((h, i) => h.ask({ cmd: 'prepare', mode: job.mode, url: job.url, channel: job.channel ?? '', count: parts[i], concurrency: job.concurrency })));
      return { seconds: Math.max(...answers.map((a) => a.seconds)) };
    },
    /** @param {number} concurrency */
    async connect(concurrency) {
      const answers = await Promise.all(holders.map((h) => h.ask({ cmd: 'connect', concurrency })));
      return {
        connected: answers.reduce((a, x) => a + x.connected, 0),
        failed: answers.reduce((a, x) => a + x.failed, 0),
        errors: answers.flatMap((x) => x.errors),
        seconds: Math.max(...answers.map((a) => a.seconds)),
      };
    },
    async status() {
      const answers = await Promise.all(holders.map((h) => h.ask({ cmd: 'status' })));
      /** @type {Record<string, number>} */
      const reasons = {};
      for (const a of answers) for (const [k, v] of Object.entries(a.dropReasons)) reasons[k] = (reasons[k] ?? 0) + /** @type {number} */ (v);
      return { open: answers.reduce((a, x) => a + x.open, 0), dropped: answers.reduce((a, x) => a + x.dropped, 0), reasons };
    },
    async close() {
      await Promise.all(holders.map((h) => h.ask({ cmd: 'close' })));
    },
  };
}

/**
 * Warm-up connections held by the bench itself against a baseline, so that its connection code
 * is loaded and compiled before the heap is first read (the platform's is, by the chatting
 * visitors connected before that).
 * @param {'ws' | 'engineio' | 'socketio'} mode
 * @param {string} url
 * @param {number} count
 */
export async function warmUpConnections(mode, url, count) {
  /** @type {(() => void)[]} */
  const closers = [];
  await pool(count, 20, (i) =>
    new Promise((resolve, reject) => {
      if (mode === 'ws') {
        const ws = new WebSocket(url.replace(/^http/, 'ws'));
        ws.once('open', () => resolve(closers.push(() => ws.terminate())));
        ws.once('error', reject);
      } else if (mode === 'engineio') {
        const socket = new EngineSocket(url.replace(/^http/, 'ws'), { path: '/engine.io/', transports: ['websocket'] });
        socket.once('message', () => resolve(closers.push(() => socket.close())));
        socket.once('error', reject);
      } else {
        const socket = io(`${url}/webchat`, { path: '/socket.io', auth: { token: `warm-${i}` }, transports: ['websocket'], reconnection: false, forceNew: true });
        socket.once('state', () => resolve(closers.push(() => socket.close())));
        socket.once('connect_error', reject);
      }
    }),
  );
  return () => closers.forEach((c) => c());
}

/**
 * What the agents' feeds saw: each customer text message is matched, by its text, to the send
 * waiting for it, and timed from the start of that send.
 */
export function newArrivals() {
  /** @type {Map<string, { t0: number, path: 'web' | 'tpi', round: number }>} */
  const waiting = new Map();
  const arrivals = {
    waiting,
    /** @type {Record<string, number[]>} path:round → latencies (ms) */
    latencies: {},
    received: 0,
    unknown: 0,
    other: 0,
    /** @param {any} m a MessageView */
    onMessage(m) {
      const now = performance.now();
      if (m?.sender !== 'customer' || m?.kind !== 'text') {
        arrivals.other++;
        return;
      }
      const w = waiting.get(m.text);
      if (!w) {
        arrivals.unknown++;
        return;
      }
      waiting.delete(m.text);
      arrivals.received++;
      (arrivals.latencies[`${w.path}:${w.round}`] ??= []).push(now - w.t0);
    },
  };
  return arrivals;
}

/**
 * An agent: logged in, online, its live feed connected and reporting customer messages.
 * @param {string} url
 * @param {{ username: string, password: string }} who
 * @param {ReturnType<typeof newArrivals>} arrivals
 */
export async function connectAgent(url, who, arrivals) {
  const { token } = await json('POST', `${url}/api/v1/agent/login`, { body: { username: who.username, password: who.password } });
  await json('PUT', `${url}/api/v1/agent/status`, { token, body: { status: 'online' } });
  const socket = io(url, { path: '/socket.io', auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
  const agent = { username: who.username, token, socket, disconnected: /** @type {string | undefined} */ (undefined) };
  socket.on('chat.message', (m) => arrivals.onMessage(m));
  // Messages written together arrive together.
  socket.on('chat.messages', (/** @type {any[]} */ list) => list.forEach((m) => arrivals.onMessage(m)));
  socket.on('disconnect', (reason) => {
    agent.disconnected = reason;
  });
  await new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(undefined));
    socket.once('connect_error', (error) => reject(new Error(`agent ${who.username}: Socket.IO connection failed: ${error.message}`)));
  });
  return agent;
}

/**
 * The open sessions of a set of agents whose client id passes `mine`.
 * @param {string} url
 * @param {{ token: string }[]} agents
 * @param {(clientId: string) => boolean} mine
 * @returns {Promise<{ id: number, clientId: string }[]>}
 */
export async function sessionsOf(url, agents, mine) {
  const lists = await Promise.all(agents.map((a) => json('GET', `${url}/api/v1/agent/sessions`, { token: a.token })));
  return lists.flatMap((l) => l.sessions).filter((/** @type {any} */ s) => mine(String(s.clientId)));
}

/**
 * A chatting web visitor: a token, the live feed (/webchat) a browser would have open, and a
 * request for an agent (accepted later).
 * @param {string} url
 * @param {string} channel
 * @param {number} i
 */
export async function webVisitor(url, channel, i) {
  const api = `${url}/api/v1/webchat/${channel}`;
  const { token, visitorId } = await json('POST', `${api}/visitor`, { body: {} });
  const socket = io(`${url}/webchat`, { path: '/socket.io', auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
  const visitor = { i, token, visitorId, socket, state: /** @type {string | undefined} */ (undefined), pushed: 0, disconnected: /** @type {string | undefined} */ (undefined) };
  socket.on('state', (s) => {
    visitor.state = s?.state;
  });
  socket.on('message', () => visitor.pushed++);
  socket.on('disconnect', (reason) => {
    visitor.disconnected = reason;
  });
  await new Promise((resolve, reject) => {
    socket.once('state', () => resolve(undefined));
    socket.once('connect_error', (error) => reject(new Error(`visitor ${i}: /webchat connection failed: ${error.message}`)));
  });
  await json('POST', `${api}/requests`, { token, body: { nickname: `Visitor ${i}`, language: 'en' } });
  return visitor;
}
