/** A third party that retries a 2001 or 2002 after a timeout must not create two messages. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TINY_PNG as PNG } from '../../test-support/chat.js';
import type { TestPlatform } from '../../test-support/platform.js';
import { agent, startWorld, type World } from '../../test-support/world.js';

describe('inbound de-duplication by msgId', () => {
  let w: World;
  let p: TestPlatform;
  let token: string;
  let sessionId: number;

  beforeEach(async () => {
    w = await startWorld({ queues: [{ id: 1, name: 'q' }], agents: [agent('A')] });
    p = w.p;
    token = await w.online('a');
    sessionId = await w.openChat('c');
  });

  afterEach(async () => {
    await w.close();
  });

  const texts = async () =>
    (await p.api<{ messages: { kind: string; text?: string }[] }>('GET', `/api/v1/agent/sessions/${sessionId}/messages`, token)).body.messages;

  it('stores a retried text once, also when the retries race each other', async () => {
    const body = { type: 2001, sessionId, clientId: 'c', text: '只要一次', msgId: 'm-1' };
    const answers = await Promise.all([p.tpi(body), p.tpi(body), p.tpi(body)]);
    expect(answers.every((a) => a.result === 1)).toBe(true);
    expect(answers.filter((a) => a.message === 'success')).toHaveLength(1);
    expect(answers.filter((a) => a.message === 'success; duplicate msgId, already stored')).toHaveLength(2);
    expect(await p.tpi(body)).toEqual({ result: 1, message: 'success; duplicate msgId, already stored' });
    // Another id, or no id at all, is another message.
    await p.tpi({ ...body, msgId: 'm-2' });
    await p.tpi({ type: 2001, sessionId, clientId: 'c', text: '只要一次' });
    await p.tpi({ type: 2001, sessionId, clientId: 'c', text: '只要一次' });
    expect((await texts()).filter((m) => m.text === '只要一次')).toHaveLength(4);
  });

  it('stores a retried image once', async () => {
    const body = { type: 2002, sessionId, clientId: 'c', imgName: 'once', imgData: PNG, msgId: 'img-1' };
    expect((await p.tpi(body)).message).toBe('success');
    expect((await p.tpi(body)).message).toBe('success; duplicate msgId, already stored');
    expect((await texts()).filter((m) => m.kind === 'image')).toHaveLength(1);
  });
});
