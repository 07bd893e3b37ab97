// The platform side of one scenario: a platform child (../platform.mjs), an agent online with N
// open chats of M customer messages, loaded through the TPI.
import { performance } from 'node:perf_hooks';
import { json, waitFor } from '../lib.mjs';
import { AGENT, QUEUE_ID, startCallbackSink, startPlatform } from '../platform.mjs';
import { log, root, settings, TPI } from './settings.mjs';
import { customerText } from './texts.mjs';

/**
 * @param {string} url
 * @param {string} password
 * @param {number} count
 * @param {string} prefix
 */
async function openChats(url, password, count, prefix) {
  const login = await json('POST', `${url}/api/v1/agent/login`, { body: { username: AGENT.username, password } });
  const token = /** @type {string} */ (login.token);
  await json('PUT', `${url}/api/v1/agent/status`, { token, body: { status: 'online' } });
  // One after the other, so that the chat list shows them in this order.
  for (let i = 0; i < count; i++) {
    const clientId = `${prefix}-${i}`;
    const answer = await json('POST', `${url}${TPI}`, {
      body: { type: 1000, clientId, nickname: i % 2 === 0 ? `Customer ${i}` : `客户${i}号`, time: Date.now(), queueId: QUEUE_ID, from: 'APP' },
    });
    if (answer.result !== 1) throw new Error(`1000 for ${clientId} answered ${JSON.stringify(answer)}`);
  }
  const sessions = await waitFor(
    `${count} sessions to be assigned to the agent`,
    async () => {
      const { sessions: open } = await json('GET', `${url}/api/v1/agent/sessions`, { token });
      const ours = open.filter((/** @type {any} */ s) => String(s.clientId).startsWith(`${prefix}-`));
      return ours.length === count ? ours : undefined;
    },
    30_000,
    100,
  );
  /** @type {{ sessionId: number, clientId: string }[]} */
  const list = sessions.map((/** @type {any} */ s) => ({ sessionId: /** @type {number} */ (s.id), clientId: /** @type {string} */ (s.clientId) }));
  list.sort((a, b) => a.sessionId - b.sessionId);
  return { token, sessions: list };
}

/**
 * M customer messages into every chat, interleaved across the chats as they would arrive, with
 * `concurrency` requests in flight.
 * @param {string} url
 * @param {{ sessionId: number, clientId: string }[]} sessions
 * @param {number} perChat
 * @param {number} concurrency
 */
async function seed(url, sessions, perChat, concurrency) {
  const total = sessions.length * perChat;
  let next = 0;
  let bad = 0;
  /** @type {string[]} */
  const samples = [];
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= total) return;
      const chat = i % sessions.length;
      const k = Math.floor(i / sessions.length);
      const s = /** @type {{ sessionId: number, clientId: string }} */ (sessions[chat]);
      try {
        const answer = await json('POST', `${url}${TPI}`, { body: { type: 2001, sessionId: s.sessionId, clientId: s.clientId, time: Date.now(), text: customerText(chat, k) } });
        if (answer.result !== 1) {
          bad++;
          if (samples.length < 3) samples.push(JSON.stringify(answer));
        }
      } catch (error) {
        bad++;
        if (samples.length < 3) samples.push(String(error));
      }
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - t0) / 1000;
  if (bad > 0) throw new Error(`${bad} of ${total} seed messages failed, e.g. ${samples.join('; ')}`);
  return { total, seconds };
}

/**
 * The newest message id of every open chat and how many messages it holds, as the agent API shows them.
 * @param {string} url
 * @param {string} token
 */
export async function lastMessages(url, token) {
  const { sessions } = await json('GET', `${url}/api/v1/agent/sessions`, { token, timeoutMs: 60_000 });
  /** @type {Map<number, { lastId: number, count: number }>} */
  const out = new Map();
  for (const s of sessions) {
    const ids = s.messages.map((/** @type {any} */ m) => /** @type {number} */ (m.id));
    out.set(s.id, { lastId: Math.max(...ids), count: ids.length });
  }
  return out;
}

/**
 * One scenario's platform, with its chats open and filled, and checked through the agent API.
 * @param {string} name
 * @param {string} label
 * @param {number} chats
 * @param {number} messages
 * @param {(() => Promise<void>)[]} cleanups what the platform leaves behind is undone by these
 */
export async function prepareScenario(name, label, chats, messages, cleanups) {
  const sink = await startCallbackSink();
  cleanups.push(sink.close);
  const platform = await startPlatform({
    root,
    store: 'sqlite',
    databaseUrl: '',
    callbackBase: sink.url,
    maxChats: chats + 5,
    keep: settings.keep,
    cleanups,
  });
  const { token, sessions } = await openChats(platform.url, platform.password, chats, `console-${name}`);
  const seeded = await seed(platform.url, sessions, messages, settings.seedConcurrency);
  const last = await lastMessages(platform.url, token);
  for (const s of sessions) {
    const got = last.get(s.sessionId)?.count ?? 0;
    if (got < messages) throw new Error(`${name}: session ${s.sessionId} holds ${got} messages, expected ${messages}`);
  }
  log(`${name}: platform pid ${platform.proc.child.pid} at ${platform.url}; ${chats} chats × ${messages} messages loaded in ${seeded.seconds.toFixed(1)} s (${(seeded.total / seeded.seconds).toFixed(0)} msgs/s)`);
  return { name, label, chats, messages, url: platform.url, password: platform.password, token, pid: platform.proc.child.pid, sessions, last, seed: seeded };
}
