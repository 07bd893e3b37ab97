/** Every result code of PROTOCOL.md, reached where its meaning applies, with a message that says why. */
import { ResultCode } from '@elitewebchat/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock, startTestPlatform, type TestPlatform } from '../../test-support/platform.js';
import { ThirdParty } from '../../test-support/third-party.js';

const KEY = 'result-codes-key-0123456789';
const OTHER_KEY = 'other-channel-key-0123456789';
// Monday 2026-11-23 10:00 in Shanghai.
const MONDAY_10AM = Date.parse('2026-11-23T02:00:00Z');

describe('TPI result codes', () => {
  let tp: ThirdParty;
  let p: TestPlatform;
  const clock = manualClock(MONDAY_10AM);
  let token: string;

  beforeAll(async () => {
    tp = new ThirdParty();
    const base = await tp.start();
    p = await startTestPlatform({
      clock: clock.now,
      tpiHeaders: { 'x-webchat-key': KEY },
      provisioning: {
        queues: [
          { id: 1, name: 'open', whenNoAgentOnline: 'wait', maxLength: 3 },
          { id: 2, name: 'weekend only', hours: { sat: ['09:00-18:00'], sun: ['09:00-18:00'] } },
          { id: 3, name: 'disabled', enabled: false },
          { id: 4, name: 'nobody' },
          { id: 5, name: 'refuses', whenNoAgentOnline: 'refuse' },
          { id: 6, name: 'second', whenNoAgentOnline: 'wait' },
        ],
        agents: [
          { id: 'A1', username: 'a1', password: 'pw', name: 'A1', queues: [1, 2, 3, 5, 6], maxChats: 1 },
        ],
        channels: [
          { id: 'main', key: KEY, callbackBase: base, allowServerAddr: [base] },
          { id: 'other', key: OTHER_KEY, callbackBase: base },
        ],
      },
    });
    token = await p.login('a1', 'pw');
  });

  afterAll(async () => {
    await p.close();
    await tp.stop();
  });

  const expectResult = (answer: { result: number; message: string }, code: number, message: RegExp) => {
    expect(answer.result, answer.message).toBe(code);
    expect(answer.message).toMatch(message);
  };

  it('-7 INVALID_QUEUE_ID: no such queue, or a queueId of the wrong type', async () => {
    expectResult(await p.tpi({ type: 1000, clientId: 'c', queueId: 99 }), ResultCode.INVALID_QUEUE_ID, /no queue with queueId 99/);
    expectResult(await p.tpi({ type: 1000, clientId: 'c', queueId: '1' }), ResultCode.INVALID_QUEUE_ID, /queueId.*integer/);
    expectResult(await p.tpi({ type: 1000, clientId: 'c' }), ResultCode.INVALID_QUEUE_ID, /missing field "queueId"/);
  });

  it('-4 INVALID_SKILLGROUP: the queue is disabled or has no agents', async () => {
    expectResult(await p.tpi({ type: 1000, clientId: 'c', queueId: 3 }), ResultCode.INVALID_SKILLGROUP, /queue 3 is disabled/);
    expectResult(await p.tpi({ type: 1000, clientId: 'c', queueId: 4 }), ResultCode.INVALID_SKILLGROUP, /queue 4 has no agents/);
  });

  it('-3 NOT_IN_WORKTIME: outside the queue\'s hours', async () => {
    expectResult(await p.tpi({ type: 1000, clientId: 'c', queueId: 2 }), ResultCode.NOT_IN_WORKTIME, /queue 2 is outside its working hours \(Asia\/Shanghai\)/);
  });

  it('-5 NO_AGENT_ONLINE: a refusing queue with nobody online', async () => {
    expectResult(await p.tpi({ type: 1000, clientId: 'c', queueId: 5 }), ResultCode.NO_AGENT_ONLINE, /no agent of queue 5 is online/);
  });

  it('-6 INVALID_CLIENT_ID: clientId missing, empty, too long or with control characters', async () => {
    expectResult(await p.tpi({ type: 1000, queueId: 1 }), ResultCode.INVALID_CLIENT_ID, /missing field "clientId"/);
    expectResult(await p.tpi({ type: 1000, clientId: '', queueId: 1 }), ResultCode.INVALID_CLIENT_ID, /clientId/);
    expectResult(await p.tpi({ type: 1000, clientId: 'x'.repeat(129), queueId: 1 }), ResultCode.INVALID_CLIENT_ID, /clientId.*128/);
    expectResult(await p.tpi({ type: 1000, clientId: 'a\nb', queueId: 1 }), ResultCode.INVALID_CLIENT_ID, /control characters/);
    expectResult(await p.tpi({ type: 1000, clientId: 42, queueId: 1 }), ResultCode.INVALID_CLIENT_ID, /got 42/);
  });

  it('-8 REQUEST_ERROR: unusable bodies and unknown types, naming what is wrong', async () => {
    expectResult(await p.tpi('{"type":1000,'), ResultCode.REQUEST_ERROR, /not valid JSON/);
    expectResult(await p.tpi('[1,2]'), ResultCode.REQUEST_ERROR, /must be a JSON object/);
    expectResult(await p.tpi({ clientId: 'c' }), ResultCode.REQUEST_ERROR, /missing field "type"/);
    expectResult(await p.tpi({ type: 3000 }), ResultCode.REQUEST_ERROR, /unknown type 3000; expected one of 1000/);
    expectResult(await p.tpi({ type: '1000' }), ResultCode.REQUEST_ERROR, /unknown type "1000"/);
    expectResult(await p.tpi({ type: 1000, clientId: 'c', queueId: 1, from: 'FAX' }), ResultCode.REQUEST_ERROR, /"from" must be one of "PC", "MOBILE", "WECHAT", "APP"/);
    expectResult(await p.tpi({ type: 2005, requestId: 1, text: '' }), ResultCode.REQUEST_ERROR, /"text" must be a string of 1 to 20000/);
    expectResult(await p.tpi({ type: 1000, clientId: 'c', queueId: 1 }, { 'x-webchat-key': 'wrong-key-0123456789' }), ResultCode.REQUEST_ERROR, /unknown X-Webchat-Key/);
    expectResult(await p.tpi({ type: 1000, clientId: 'c', queueId: 1 }, { 'x-webchat-key': '' }), ResultCode.REQUEST_ERROR, /missing X-Webchat-Key/);
    expectResult(
      await p.tpi({ type: 1000, clientId: 'c', queueId: 1, serverAddr: 'http://169.254.169.254/latest' }),
      ResultCode.REQUEST_ERROR,
      /serverAddr .* is not allowed for channel main/,
    );
  });

  it('-1 REQUEST_ALREADY_IN_ROUTING and -2 ALREADY_IN_CHATTING', async () => {
    const first = await p.tpi({ type: 1000, clientId: 'dup', queueId: 1 });
    expect(first.result).toBe(1);
    expectResult(await p.tpi({ type: 1000, clientId: 'dup', queueId: 1 }), ResultCode.REQUEST_ALREADY_IN_ROUTING, new RegExp(`request ${String(first.requestId)} waiting in queue 1`));
    // The same client id in another channel is another customer.
    expect((await p.tpi({ type: 1000, clientId: 'dup', queueId: 1 }, { 'x-webchat-key': OTHER_KEY })).result).toBe(1);

    await p.api('PUT', '/api/v1/agent/status', token, { status: 'online' });
    const create = await tp.waitFor(() => tp.ofName('create').find((c) => c.body.clientId === 'dup'));
    expectResult(await p.tpi({ type: 1000, clientId: 'dup', queueId: 6 }), ResultCode.ALREADY_IN_CHATTING, /already chatting in session \d+ of queue 1/);
    // Asking again for the same queue resumes the open session and sends create again.
    const again = await p.tpi({ type: 1000, clientId: 'dup', queueId: 1 });
    expect(again).toMatchObject({ result: 1, continueLastSession: true, queueLength: 0 });
    await tp.waitFor(() => tp.ofName('create').filter((c) => c.body.clientId === 'dup' && c.body.sessionId === create.body.sessionId).length === 2);
    await p.api('PUT', '/api/v1/agent/status', token, { status: 'offline' });
  });

  it('-5 also when a queue is full (maxLength)', async () => {
    // Queue 1 holds at most 3 waiting; A1 is offline now and has one chat already.
    const answers = [];
    for (const c of ['f1', 'f2', 'f3', 'f4']) answers.push(await p.tpi({ type: 1000, clientId: c, queueId: 1 }));
    const refused = answers.filter((a) => a.result === ResultCode.NO_AGENT_ONLINE);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused[0]!.message).toMatch(/queue 1 is full: 3 requests are waiting/);
    for (const c of ['f1', 'f2', 'f3']) {
      const mine = answers[['f1', 'f2', 'f3'].indexOf(c)]!;
      if (mine.result === 1) await p.tpi({ type: 1002, requestId: mine.requestId });
    }
  });

  it('-10 INVALID_CHAT_REQUEST_ID: unknown, another channel\'s, or no longer waiting', async () => {
    expectResult(await p.tpi({ type: 1001, requestId: 999_999 }), ResultCode.INVALID_CHAT_REQUEST_ID, /no request 999999 for this channel/);
    expectResult(await p.tpi({ type: 1001, requestId: -3 }), ResultCode.INVALID_CHAT_REQUEST_ID, /requestId.*integer from 1/);
    expectResult(await p.tpi({ type: 1001, requestId: 2 ** 60 }), ResultCode.INVALID_CHAT_REQUEST_ID, /requestId/);
    expectResult(await p.tpi({ type: 1002 }), ResultCode.INVALID_CHAT_REQUEST_ID, /missing field "requestId"/);
    const mine = await p.tpi({ type: 1000, clientId: 'r10', queueId: 6 });
    expectResult(await p.tpi({ type: 1001, requestId: mine.requestId }, { 'x-webchat-key': OTHER_KEY }), ResultCode.INVALID_CHAT_REQUEST_ID, /for this channel/);
    expect((await p.tpi({ type: 1002, requestId: mine.requestId })).result).toBe(1);
    expect(await p.tpi({ type: 1002, requestId: mine.requestId })).toEqual({ result: 1, message: 'already canceled' });
    expectResult(await p.tpi({ type: 2005, requestId: mine.requestId, text: 'hi' }), ResultCode.INVALID_CHAT_REQUEST_ID, /no longer waiting \(CANCELED_BY_CLIENT\)/);
  });

  it('-11 INVALID_CHAT_SESSION_ID and -9 INVALID_TO_USER_ID', async () => {
    expectResult(await p.tpi({ type: 2001, sessionId: 424242, clientId: 'c', text: 'x' }), ResultCode.INVALID_CHAT_SESSION_ID, /no session 424242 for this channel/);
    expectResult(await p.tpi({ type: 4001 }), ResultCode.INVALID_CHAT_SESSION_ID, /missing field "sessionId"/);
    const session = tp.ofName('create').find((c) => c.body.clientId === 'dup')!.body;
    const sessionId = session.sessionId as number;
    expectResult(await p.tpi({ type: 2001, sessionId, clientId: 'someone-else', text: 'x' }), ResultCode.INVALID_TO_USER_ID, /not the customer of session/);
    expectResult(await p.tpi({ type: 2001, sessionId, clientId: 'dup', text: 'x' }, { 'x-webchat-key': OTHER_KEY }), ResultCode.INVALID_CHAT_SESSION_ID, /for this channel/);
    expect((await p.tpi({ type: 4001, sessionId })).result).toBe(1);
    expectResult(await p.tpi({ type: 2001, sessionId, clientId: 'dup', text: 'x' }), ResultCode.INVALID_CHAT_SESSION_ID, /session \d+ is closed/);
    expectResult(await p.tpi({ type: 5002, sessionId, clientId: 'n' }), ResultCode.INVALID_CHAT_SESSION_ID, /is closed/);
    // A rating may still come after the end.
    expect((await p.tpi({ type: 5001, sessionId, ratingId: 2 })).result).toBe(1);
  });

  it('mentions unknown fields it ignored, and still succeeds', async () => {
    const answer = await p.tpi({ type: 1000, clientId: 'extra', queueId: 6, color: 'blue', vip: true });
    expect(answer).toMatchObject({ result: 1, message: 'success; ignored unknown field(s): color, vip' });
  });

  it('-100 INTERNAL_ERROR when the store fails, and says the call was not carried out', async () => {
    // Runs last: it breaks this platform's store.
    await p.platform.store.close();
    expectResult(await p.tpi({ type: 1001, requestId: 1 }), ResultCode.INTERNAL_ERROR, /not carried out/);
  });
});
