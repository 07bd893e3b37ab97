/**
 * The receiver's Express adapter in a real Express: on its own, after express.raw(), and after
 * express.json() (which has eaten the bytes a signature covers: a failure that says so, so that
 * the platform retries and the integrator learns why, rather than a handler fed unverified data).
 */
import { randomBytes } from 'node:crypto';
import type http from 'node:http';
import express from 'express';
import { Webhook } from 'standardwebhooks';
import { afterEach, expect, it } from 'vitest';
import { CallbackReceiver } from '../src/receiver.js';
import { closeServer } from './sdk-world.js';

const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const CLOSE = JSON.stringify({ sessionId: 7, agentId: 'A', clientId: 'c', time: 1_700_000_000_000 });

let server: http.Server | undefined;
afterEach(async () => {
  if (server) await closeServer(server);
  server = undefined;
});

async function serve(app: express.Express): Promise<string> {
  server = await new Promise<http.Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

async function send(url: string, id: string) {
  const at = new Date();
  const res = await fetch(`${url}/ThirdPartService/close`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': new Webhook(SECRET).sign(id, at, CLOSE) },
    body: CLOSE,
  });
  return { status: res.status, body: (await res.json()) as { result: number; message: string } };
}

for (const [name, parser] of [
  ['on its own', undefined],
  ['after express.raw()', express.raw({ type: '*/*' })],
] as const) {
  it(`verifies and hands over a callback ${name}`, async () => {
    const closed: number[] = [];
    const rx = new CallbackReceiver({ secrets: [SECRET], handlers: { close: (e) => void closed.push(e.sessionId) } });
    const app = express();
    if (parser) app.use(parser);
    app.post('/ThirdPartService/:name', rx.express);
    const url = await serve(app);
    expect(await send(url, 'cb_1')).toEqual({ status: 200, body: { result: 1, message: 'success' } });
    expect(await send(url, 'cb_1')).toMatchObject({ status: 200, body: { result: 1 } });
    expect(closed).toEqual([7]);
  });
}

it('fails, saying why, after express.json() has parsed the body away', async () => {
  const closed: number[] = [];
  const problems: string[] = [];
  const rx = new CallbackReceiver({ secrets: [SECRET], handlers: { close: (e) => void closed.push(e.sessionId) }, onProblem: (p) => problems.push(p.message) });
  const app = express();
  app.use(express.json());
  app.post('/ThirdPartService/:name', rx.express);
  const answer = await send(await serve(app), 'cb_2');
  expect(answer.status).toBe(500);
  expect(answer.body.message).toMatch(/already parsed.*express\.raw/);
  expect(problems).toHaveLength(1);
  expect(closed).toEqual([]);
});
