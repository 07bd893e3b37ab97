/**
 * The receiver's node:http handler at its edges, as a callback sender or anybody on the network
 * can reach it: a body cut off mid-way, a receiver holding both secrets of a rotation, a
 * timestamp from the future, a body over the limit, an asynchronous handler that is slow or
 * fails, and a store of handled ids that fails.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type net from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterEach, expect, it } from 'vitest';
import { CallbackReceiver, type ReceiverOptions } from '../src/receiver.js';
import { closeServer, postCutOff } from './sdk-world.js';

const OLD = `whsec_${randomBytes(32).toString('base64')}`;
const NEW = `whsec_${randomBytes(32).toString('base64')}`;
const CLOSE = JSON.stringify({ sessionId: 7, agentId: 'A', clientId: 'c', time: 1_700_000_000_000 });

let server: http.Server | undefined;
afterEach(async () => {
  if (server) await closeServer(server);
  server = undefined;
});

async function serve(options: ReceiverOptions): Promise<string> {
  const rx = new CallbackReceiver(options);
  server = http.createServer((req, res) => void rx.node(req, res));
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
}

async function send(url: string, id: string, opts: { secret?: string; at?: Date; body?: string } = {}) {
  const at = opts.at ?? new Date();
  const body = opts.body ?? CLOSE;
  const res = await fetch(`${url}/ThirdPartService/close`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': new Webhook(opts.secret ?? NEW).sign(id, at, body) },
    body,
  });
  return { status: res.status, body: (await res.json()) as { result: number; message: string } };
}

it('goes on answering after a sender went away in the middle of a body', async () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => void unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  try {
    const closed: number[] = [];
    const url = await serve({ secrets: [NEW], handlers: { close: (e) => void closed.push(e.sessionId) } });
    await postCutOff(url, '/ThirdPartService/close');
    expect(await send(url, 'cb_after')).toEqual({ status: 200, body: { result: 1, message: 'success' } });
    expect(closed).toEqual([7]);
    expect(unhandled).toEqual([]);
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
});

it('holding both secrets of a rotation, takes a callback signed with either one alone', async () => {
  const closed: string[] = [];
  const url = await serve({ secrets: [OLD, NEW], handlers: { close: (_e, meta) => void closed.push(meta.id) } });
  expect(await send(url, 'cb_old', { secret: OLD })).toMatchObject({ status: 200, body: { result: 1 } });
  expect(await send(url, 'cb_new', { secret: NEW })).toMatchObject({ status: 200, body: { result: 1 } });
  const other = `whsec_${randomBytes(32).toString('base64')}`;
  expect(await send(url, 'cb_other', { secret: other })).toMatchObject({ status: 401, body: { result: 0 } });
  expect(closed).toEqual(['cb_old', 'cb_new']);
});

it('takes a timestamp a little ahead of its clock and refuses one ten minutes ahead', async () => {
  const closed: string[] = [];
  const url = await serve({ secrets: [NEW], handlers: { close: (_e, meta) => void closed.push(meta.id) } });
  expect(await send(url, 'cb_soon', { at: new Date(Date.now() + 240_000) })).toMatchObject({ status: 200 });
  expect(await send(url, 'cb_later', { at: new Date(Date.now() + 600_000) })).toEqual({
    status: 401,
    body: { result: 0, message: 'signature not valid for any secret, or timestamp more than 5 minutes off' },
  });
  expect(closed).toEqual(['cb_soon']);
});

it('refuses a body over maxBodyBytes with 413, its handler not called', async () => {
  const closed: number[] = [];
  const url = await serve({ secrets: [NEW], maxBodyBytes: 1024, handlers: { close: (e) => void closed.push(e.sessionId) } });
  const big = JSON.stringify({ sessionId: 7, agentId: 'A', clientId: 'c'.repeat(2_000), time: 1_700_000_000_000 });
  expect(await send(url, 'cb_big', { body: big })).toEqual({ status: 413, body: { result: 0, message: 'body too large' } });
  expect(await send(url, 'cb_small')).toMatchObject({ status: 200 });
  expect(closed).toEqual([7]);
});

it('answers only once an asynchronous handler has finished, and a failure when it rejects, so the repeat is handled', async () => {
  const log: string[] = [];
  let fail = true;
  const url = await serve({
    secrets: [NEW],
    handlers: {
      close: async (_e, meta) => {
        await new Promise((resolve) => setTimeout(resolve, 200));
        if (meta.id === 'cb_flaky' && fail) {
          fail = false;
          throw new Error('the database of the bridge is away');
        }
        log.push(`handled ${meta.id}`);
      },
    },
  });
  const answered = send(url, 'cb_slow').then((a) => log.push(`answered ${a.status}`));
  await answered;
  expect(log).toEqual(['handled cb_slow', 'answered 200']);
  expect(await send(url, 'cb_flaky')).toEqual({ status: 500, body: { result: 0, message: 'the handler of close failed: the database of the bridge is away' } });
  expect(await send(url, 'cb_flaky')).toEqual({ status: 200, body: { result: 1, message: 'success' } });
  expect(log).toEqual(['handled cb_slow', 'answered 200', 'handled cb_flaky']);
});

it('answers a failure when its store of handled ids cannot be read, and success when only recording the id failed', async () => {
  const closed: string[] = [];
  const problems: string[] = [];
  let reads = 0;
  const url = await serve({
    secrets: [NEW],
    handlers: { close: (_e, meta) => void closed.push(meta.id) },
    onProblem: (p) => problems.push(p.message),
    seen: {
      has: async () => {
        if (reads++ === 0) throw new Error('redis is away');
        return false;
      },
      add: async () => {
        throw new Error('redis is full');
      },
    },
  });
  // Nothing was handled: the platform must send it again.
  expect(await send(url, 'cb_1')).toEqual({ status: 500, body: { result: 0, message: 'could not check whether close cb_1 was handled before: redis is away' } });
  expect(closed).toEqual([]);
  // Handled, but not recorded: success (a failure would have it handled twice), and said.
  expect(await send(url, 'cb_1')).toEqual({ status: 200, body: { result: 1, message: 'success' } });
  expect(closed).toEqual(['cb_1']);
  expect(problems).toEqual(['could not check whether close cb_1 was handled before: redis is away', 'handled close cb_1, but could not record its id: redis is full']);
});
