import { describe, expect, it } from 'vitest';
import type { PendingMessage } from './merge';
import { Outbox } from './outbox';
import { memoryStorage, safeStorage, type KeyValue } from './storage';

const item = (clientMsgId: string, extra: Partial<PendingMessage> = {}): PendingMessage => ({ clientMsgId, kind: 'text', text: `t-${clientMsgId}`, createdAt: 1, ...extra });
const KEY = 'ewc:web:outbox';

describe('Outbox', () => {
  it('survives a reload: a new outbox on the same storage has the same items, in order', () => {
    const storage = memoryStorage();
    const a = new Outbox(storage, KEY, 'v1');
    a.add(item('m1'));
    a.add(item('m2'));
    a.add(item('m1'));
    const b = new Outbox(storage, KEY, 'v1');
    expect(b.list().map((i) => i.clientMsgId)).toEqual(['m1', 'm2']);
    expect(b.list()[0]?.text).toBe('t-m1');
  });

  it('keeps what another tab of the visitor has not sent yet when this tab sends and empties its own', () => {
    const storage = memoryStorage();
    const tabA = new Outbox(storage, KEY, 'v1');
    const tabB = new Outbox(storage, KEY, 'v1');
    // A's send was refused for now (a 429 or a 5xx): pending, and marked.
    tabA.add(item('a1'));
    tabA.update('a1', { failed: 'busy' });
    // B sends one of its own, which goes through at once.
    tabB.add(item('b1'));
    tabB.remove('b1');
    expect(tabB.list()).toEqual([]);
    // A is reloaded (or closed and opened again) before it retried: a1 is still there, as A left it.
    expect(new Outbox(storage, KEY, 'v1').list()).toEqual([item('a1', { failed: 'busy' })]);
    // And once A has it stored, nothing is left.
    tabA.remove('a1');
    expect(storage.get(KEY)).toBeNull();
  });

  it('belongs to one visitor: another visitor starts empty', () => {
    const storage = memoryStorage();
    new Outbox(storage, KEY, 'v1').add(item('m1'));
    expect(new Outbox(storage, KEY, 'v2').list()).toEqual([]);
  });

  it('removes and settles by clientMsgId, and leaves no key behind when empty', () => {
    const storage = memoryStorage();
    const box = new Outbox(storage, KEY, 'v1');
    box.add(item('m1'));
    box.add(item('m2'));
    box.add(item('m3'));
    box.settle(new Set(['m1', 'm3', 'other']));
    expect(box.list().map((i) => i.clientMsgId)).toEqual(['m2']);
    box.remove('m2');
    expect(box.list()).toEqual([]);
    expect(storage.get(KEY)).toBeNull();
  });

  it('marks a refused item and clears the mark for a retry', () => {
    const storage = memoryStorage();
    const box = new Outbox(storage, KEY, 'v1');
    box.add(item('m1'));
    box.update('m1', { failed: 'closed' });
    expect(new Outbox(storage, KEY, 'v1').list()[0]?.failed).toBe('closed');
    box.update('m1', { failed: undefined });
    expect(new Outbox(storage, KEY, 'v1').list()[0]).not.toHaveProperty('failed');
  });

  it('ignores what it cannot read', () => {
    const storage = memoryStorage();
    storage.set(KEY, '{not json');
    expect(new Outbox(storage, KEY, 'v1').list()).toEqual([]);
    storage.set(KEY, JSON.stringify({ visitorId: 'v1', items: [{ clientMsgId: 'bad id!', kind: 'text', createdAt: 1 }, item('ok'), { kind: 'text' }] }));
    expect(new Outbox(storage, KEY, 'v1').list().map((i) => i.clientMsgId)).toEqual(['ok']);
  });

  it('keeps the texts when an image does not fit in the quota', () => {
    const saved = new Map<string, string>();
    const tight: KeyValue = {
      get: (k) => saved.get(k) ?? null,
      set: (k, v) => (v.length > 200 ? false : (saved.set(k, v), true)),
      remove: (k) => void saved.delete(k),
    };
    const box = new Outbox(tight, KEY, 'v1');
    box.add(item('t1'));
    box.add(item('i1', { kind: 'image', dataUri: `data:image/png;base64,${'A'.repeat(500)}`, text: undefined }));
    // In memory both stay; what a reload finds is the text.
    expect(box.list()).toHaveLength(2);
    expect(new Outbox(tight, KEY, 'v1').list().map((i) => i.clientMsgId)).toEqual(['t1']);
  });
});

describe('safeStorage', () => {
  it('works in memory when the browser refuses storage', () => {
    const s = safeStorage(() => {
      throw new Error('SecurityError');
    });
    expect(s.set('k', 'v')).toBe(false);
    expect(s.get('k')).toBe('v');
    s.remove('k');
    expect(s.get('k')).toBeNull();
  });
});
