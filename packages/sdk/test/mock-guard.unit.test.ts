/**
 * webchat-mock keeps the web pages its developer visits away from it: its control API refuses
 * what only browsers send (a page elsewhere posting to it), and a mock on loopback refuses a
 * Host that is not this machine (a page whose name was rebound to 127.0.0.1). Scripts and the
 * SDK's own client go through as before.
 */
import http from 'node:http';
import { afterEach, expect, it } from 'vitest';
import { TpiClient } from '../src/client.js';
import { startMock, type MockConfig, type RunningMock } from '../src/mock/index.js';
import { closeServer } from './sdk-world.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function mock(config: MockConfig = {}): Promise<RunningMock> {
  const running = await startMock({ queues: [{ id: 1, acceptAfterSeconds: 0 }], ...config });
  cleanups.push(() => running.close());
  return running;
}

/** A request with exactly these headers (fetch would not send another Host). */
function request(url: string, method: string, path: string, headers: Record<string, string>, body?: string): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = http.request(new URL(path, url), { method, headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown> }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A bridge that takes every callback. */
async function bridge(): Promise<string> {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => res.end('{"result":1}'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => closeServer(server));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

/** A customer with a chat: the session to drive. */
async function chat(m: RunningMock): Promise<number> {
  const client = new TpiClient({ url: m.url });
  await client.requestChat({ clientId: 'guest-1', queueId: 1 });
  for (let i = 0; i < 50 && m.state().sessions.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
  return m.state().sessions[0]!.sessionId;
}

it('refuses the control API to a page of another site, and serves scripts as before', async () => {
  const m = await mock({ channels: [{ id: 'tp', callbackBase: await bridge() }] });
  const sessionId = await chat(m);
  const close = `/mock/sessions/${sessionId}/close`;
  // What Chromium sends with a page's cross-site fetch or form post.
  const pages: Record<string, string>[] = [{ origin: 'https://shop.example' }, { 'sec-fetch-site': 'cross-site' }, { origin: 'null' }];
  for (const headers of pages) {
    const answer = await request(m.url, 'POST', close, headers, '{}');
    expect(answer.status).toBe(403);
    expect(answer.body.error).toMatch(/for scripts and tests, not for web pages/);
  }
  expect(m.state().sessions[0]!.open).toBe(true);
  // A script (or the address typed in the browser's own bar: Sec-Fetch-Site none) goes through.
  expect((await request(m.url, 'GET', '/mock/state', { 'sec-fetch-site': 'none' })).status).toBe(200);
  expect(await request(m.url, 'POST', close, {}, '{}')).toMatchObject({ status: 200, body: { ok: true } });
  expect(m.state().sessions[0]!.open).toBe(false);
});

it('on loopback, refuses a Host that is not this machine, on every path', async () => {
  const m = await mock();
  const { port } = new URL(m.url);
  for (const path of ['/mock/state', '/EliteWebChat/tpi']) {
    const answer = await request(m.url, 'POST', path, { host: `rebound.example:${port}` }, JSON.stringify({ type: 1000, clientId: 'x', queueId: 1 }));
    expect(answer).toMatchObject({ status: 403, body: { ok: false } });
    expect(answer.body.error).toMatch(/Host rebound\.example:\d+ is not this machine/);
  }
  expect(m.state().requests).toEqual([]);
  for (const host of [`localhost:${port}`, `127.0.0.1:${port}`]) expect((await request(m.url, 'GET', '/mock/state', { host })).status).toBe(200);
});

it('on every interface (--host 0.0.0.0), takes any Host, as its docs warn', async () => {
  const m = await mock({ host: '0.0.0.0' });
  const { port } = new URL(m.url);
  expect((await request(`http://127.0.0.1:${port}`, 'GET', '/mock/state', { host: `devbox.lan:${port}` })).status).toBe(200);
  // The control API still refuses pages.
  expect((await request(`http://127.0.0.1:${port}`, 'GET', '/mock/state', { origin: 'https://shop.example' })).status).toBe(403);
});
