import type { VisitorMessage } from '@elitewebchat/protocol/browser';
import { describe, expect, it } from 'vitest';
import { highestId, mergeMessages, newClientMsgId, unsettled, type PendingMessage } from './merge';

const msg = (id: number, clientMsgId: string | null = null, sender: VisitorMessage['sender'] = 'customer'): VisitorMessage => ({
  id,
  sender,
  kind: 'text',
  text: `m${id}`,
  clientMsgId,
  createdAt: id * 1000,
});
const ids = (list: readonly VisitorMessage[]) => list.map((m) => m.id);

describe('mergeMessages', () => {
  it('appends newer messages in order', () => {
    expect(ids(mergeMessages([msg(1), msg(2)], [msg(3), msg(4)]))).toEqual([1, 2, 3, 4]);
  });

  it('keeps a message seen twice once, whichever way it came', () => {
    const list = [msg(1), msg(2), msg(3)];
    // The socket, the catch-up and the answer to the POST all bring message 3.
    const once = mergeMessages(list, [msg(3)]);
    expect(once).toBe(list);
    const mixed = mergeMessages(list, [msg(5), msg(2), msg(4), msg(5)]);
    expect(ids(mixed)).toEqual([1, 2, 3, 4, 5]);
  });

  it('puts late and earlier pages in their place by id', () => {
    expect(ids(mergeMessages([msg(10), msg(20)], [msg(15), msg(5)]))).toEqual([5, 10, 15, 20]);
  });

  it('answers the same list when nothing is new', () => {
    const list = [msg(1), msg(2)];
    expect(mergeMessages(list, [])).toBe(list);
    expect(mergeMessages(list, [msg(1), msg(2)])).toBe(list);
  });

  it('keeps the first copy of an id (a stored message does not change)', () => {
    const first = { ...msg(7), text: 'first' };
    const merged = mergeMessages([msg(6), first], [{ ...msg(7), text: 'second' }, msg(5)]);
    expect(merged.find((m) => m.id === 7)?.text).toBe('first');
  });

  it('gives the highest id for catching up', () => {
    expect(highestId([])).toBe(0);
    expect(highestId([msg(3), msg(9)])).toBe(9);
  });
});

describe('unsettled', () => {
  const pending = (clientMsgId: string): PendingMessage => ({ clientMsgId, kind: 'text', text: 'x', createdAt: 0 });

  it('drops a pending message once the stored one with its clientMsgId is there', () => {
    const list = [pending('a'), pending('b'), pending('c')];
    expect(unsettled(list, [msg(1, 'b'), msg(2, null, 'agent')]).map((p) => p.clientMsgId)).toEqual(['a', 'c']);
  });

  it('answers the same list when none is settled', () => {
    const list = [pending('a')];
    expect(unsettled(list, [msg(1, 'z')])).toBe(list);
  });
});

describe('newClientMsgId', () => {
  it('is what the server takes, and new each time', () => {
    const a = newClientMsgId();
    const b = newClientMsgId();
    expect(a).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
    expect(a).not.toBe(b);
    expect(newClientMsgId(() => '123e4567-e89b-12d3-a456-426614174000')).toBe('123e4567e89b12d3a456426614174000');
  });
});
