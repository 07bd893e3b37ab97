/**
 * Customers' texts (2001) that arrive together are written as one group. Each must still get
 * its own answer, and what is stored must be exactly what was answered "success", also when
 * other writes (an image, an agent's reply) run on the store at the same moment.
 */
import { ResultCode } from '@elitewebchat/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TINY_PNG as PNG } from '../../test-support/chat.js';
import type { TestPlatform } from '../../test-support/platform.js';
import { agent, startWorld, type World } from '../../test-support/world.js';

describe('customer texts written together', () => {
  let w: World;
  let p: TestPlatform;
  let token: string;
  let open: number;
  let closed: number;

  // Each case on its own platform: an open session and a closed one.
  beforeEach(async () => {
    w = await startWorld({ queues: [{ id: 1, name: 'q' }], agents: [agent('A', { maxChats: 5 })] });
    p = w.p;
    token = await w.online('a');
    open = await w.openChat('open-customer');
    closed = await w.openChat('gone-customer');
    expect((await p.tpi({ type: 4001, sessionId: closed })).result).toBe(1);
  });

  afterEach(async () => {
    await w.close();
  });

  const stored = async (sessionId: number) =>
    (await p.api<{ messages: { kind: string; sender: string; text?: string }[] }>('GET', `/api/v1/agent/sessions/${sessionId}/messages?limit=200`, token)).body.messages;

  it('answers each of a burst on its own, and stores exactly the ones it accepted', async () => {
    const good = Array.from({ length: 12 }, (_, i) => ({ type: 2001, sessionId: open, clientId: 'open-customer', text: `burst ${i}` }));
    const calls = [
      ...good.slice(0, 4).map((body) => p.tpi(body)),
      p.tpi({ type: 2001, sessionId: open, clientId: 'not-the-customer', text: 'wrong client' }),
      p.tpi({ type: 2001, sessionId: closed, clientId: 'gone-customer', text: 'too late' }),
      p.tpi({ type: 2001, sessionId: 987654, clientId: 'open-customer', text: 'no such session' }),
      p.tpi({ type: 2001, sessionId: open, clientId: 'open-customer', text: 'retried', msgId: 'r-1' }),
      p.tpi({ type: 2001, sessionId: open, clientId: 'open-customer', text: 'retried', msgId: 'r-1' }),
      // Other writers at the same moment: an image (its own transaction) and the agent's reply.
      p.tpi({ type: 2002, sessionId: open, clientId: 'open-customer', imgName: 'dot.png', imgData: PNG }),
      p.api('POST', `/api/v1/agent/sessions/${open}/messages`, token, { text: 'agent reply' }).then((r) => ({ result: r.status === 201 || r.status === 200 ? 1 : -1, message: String(r.status) })),
      ...good.slice(4).map((body) => p.tpi(body)),
    ];
    const answers = await Promise.all(calls);

    expect(answers.slice(0, 4).map((a) => a.result)).toEqual([1, 1, 1, 1]);
    expect(answers[4]).toMatchObject({ result: ResultCode.INVALID_TO_USER_ID });
    expect(answers[4]!.message).toMatch(/not-the-customer is not the customer/);
    expect(answers[5]).toMatchObject({ result: ResultCode.INVALID_CHAT_SESSION_ID });
    expect(answers[5]!.message).toMatch(/is closed/);
    expect(answers[6]).toMatchObject({ result: ResultCode.INVALID_CHAT_SESSION_ID });
    expect(answers[6]!.message).toMatch(/no session 987654/);
    expect([answers[7]!.message, answers[8]!.message].sort()).toEqual(['success', 'success; duplicate msgId, already stored']);
    expect(answers[9]).toMatchObject({ result: 1 });
    expect(answers[10]).toMatchObject({ result: 1 });
    expect(answers.slice(11).map((a) => a.result)).toEqual(Array(8).fill(1));

    const messages = await stored(open);
    const customerTexts = messages.filter((m) => m.sender === 'customer' && m.kind === 'text').map((m) => m.text);
    expect(customerTexts.sort()).toEqual([...good.map((g) => g.text), 'retried'].sort());
    expect(messages.filter((m) => m.kind === 'image')).toHaveLength(1);
    expect(messages.filter((m) => m.sender === 'agent' && m.text === 'agent reply')).toHaveLength(1);
    expect((await stored(closed)).some((m) => m.text === 'too late')).toBe(false);
  });

  // A text that arrives while another write's transaction is open waits for it, and then sees
  // what it committed: here the session closes in that transaction, so the text is refused.
  it('waits for a transaction that is open on the store, and sees what it committed', async () => {
    const sessionId = await w.openChat('closing-customer');
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let updated!: () => void;
    const closing = new Promise<void>((resolve) => (updated = resolve));
    const { db } = p.platform.store;
    const transaction = db.transaction().execute(async (trx) => {
      await trx.updateTable('sessions').set({ status: 'closed', closed_at: Date.now(), closed_by: 'agent' }).where('id', '=', sessionId).execute();
      updated();
      await held;
    });
    await closing;
    let answered = false;
    const text = p.tpi({ type: 2001, sessionId, clientId: 'closing-customer', text: 'during the transaction' }).finally(() => (answered = true));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const answeredWhileHeld = answered;
    release();
    await transaction;
    const answer = await text;
    // PostgreSQL locks the session row (FOR UPDATE), SQLite the connection: either way it waits.
    expect(answeredWhileHeld).toBe(false);
    expect(answer).toMatchObject({ result: ResultCode.INVALID_CHAT_SESSION_ID });
    expect(answer.message).toMatch(/is closed/);
  });

  it('stores the texts of one connection in the order they were sent', async () => {
    for (let i = 0; i < 20; i++) expect((await p.tpi({ type: 2001, sessionId: open, clientId: 'open-customer', text: `in order ${i}` })).result).toBe(1);
    const texts = (await stored(open)).map((m) => m.text).filter((t) => t?.startsWith('in order '));
    expect(texts).toEqual(Array.from({ length: 20 }, (_, i) => `in order ${i}`));
  });
});
