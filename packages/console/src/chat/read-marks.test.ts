import type { MessageView } from '@elitewebchat/protocol/browser';
import { describe, expect, it } from 'vitest';
import { newestCustomerId, readMarkToSend, ReadMarks } from './read-marks';

const msg = (id: number, sender: MessageView['sender'] = 'customer'): MessageView => ({
  id,
  sessionId: 1,
  sender,
  kind: 'text',
  text: `t${id}`,
  createdAt: id,
  clientTime: null,
});

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('read mark', () => {
  it('is the newest customer message, not the agent’s', () => {
    expect(newestCustomerId([msg(1), msg(2), msg(3, 'agent'), msg(4, 'agent')])).toBe(2);
    expect(newestCustomerId([msg(3, 'agent')])).toBe(0);
    expect(newestCustomerId([])).toBe(0);
  });

  it('is sent only when it grows beyond what is known', () => {
    const list = [msg(5), msg(7), msg(8, 'agent')];
    expect(readMarkToSend(list, 0)).toBe(7);
    expect(readMarkToSend(list, 6)).toBe(7);
    expect(readMarkToSend(list, 7)).toBeNull();
    expect(readMarkToSend(list, 9)).toBeNull();
    expect(readMarkToSend([msg(8, 'agent')], 0)).toBeNull();
  });
});

describe('ReadMarks', () => {
  it('sends each new mark once, and nothing below the server’s', async () => {
    const sent: [number, number][] = [];
    const marks = new ReadMarks((sessionId, upTo) => {
      sent.push([sessionId, upTo]);
      return Promise.resolve(true);
    });
    marks.seen(1, [msg(3)], 0);
    marks.seen(1, [msg(3)], 0);
    marks.seen(1, [msg(3), msg(4, 'agent')], 0);
    marks.seen(1, [msg(3), msg(5)], 0);
    marks.seen(2, [msg(6)], 6);
    marks.seen(2, [msg(6), msg(9)], 6);
    await flush();
    expect(sent).toEqual([
      [1, 3],
      [1, 5],
      [2, 9],
    ]);
  });

  it('sends again what the server did not take', async () => {
    const sent: number[] = [];
    let ok = false;
    const marks = new ReadMarks((_sessionId, upTo) => {
      sent.push(upTo);
      return Promise.resolve(ok);
    });
    marks.seen(1, [msg(3)], 0);
    await flush();
    ok = true;
    marks.seen(1, [msg(3)], 0);
    await flush();
    marks.seen(1, [msg(3)], 0);
    expect(sent).toEqual([3, 3]);
  });
});
