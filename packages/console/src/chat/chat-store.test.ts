import type { DeliveryView, MessageView, SessionView } from '@elitewebchat/protocol/browser';
import { describe, expect, it } from 'vitest';
import { ChatStore, totalUnread } from './chat-store';

const msg = (id: number, sessionId: number, sender: MessageView['sender'] = 'customer', kind: MessageView['kind'] = 'text'): MessageView => ({
  id,
  sessionId,
  sender,
  kind,
  text: `t${id}`,
  createdAt: id,
  clientTime: null,
});

const session = (id: number, messages: MessageView[]): SessionView => ({
  id,
  requestId: id,
  channelId: 'c',
  queueId: 1,
  agentId: 'A',
  clientId: `u${id}`,
  nickname: `n${id}`,
  from: 'PC',
  status: 'open',
  requestedAt: 0,
  startedAt: id,
  closedAt: null,
  closedBy: null,
  rating: null,
  channelKind: 'tpi',
  visitor: null,
  agentReadUpTo: 0,
  messages,
});

describe('ChatStore', () => {
  it('counts a new chat’s customer messages as unread and clears them when opened', () => {
    const store = new ChatStore(() => true);
    store.upsertSessions([session(1, [msg(1, 1, 'customer', 'pre'), msg(2, 1)])], { announce: true, fresh: true });
    expect(store.chat(1)?.unread).toBe(2);
    expect(totalUnread(store.state)).toBe(2);
    store.setActive(1);
    expect(store.chat(1)?.unread).toBe(0);
    expect(store.chat(1)?.fresh).toBe(false);
  });

  it('does not count the first load after a page reload', () => {
    const store = new ChatStore(() => true);
    store.upsertSessions([session(1, [msg(1, 1)])], { announce: false });
    expect(store.chat(1)?.unread).toBe(0);
  });

  it('keeps a message that arrives twice (feed and catch-up) once', () => {
    const store = new ChatStore(() => true);
    store.upsertSessions([session(1, [msg(1, 1)])], { announce: false });
    expect(store.addMessage(msg(2, 1))).toBe('new');
    expect(store.addMessage(msg(2, 1))).toBe('duplicate');
    store.upsertSessions([session(1, [msg(1, 1), msg(2, 1), msg(3, 1)])], { announce: true });
    expect(store.chat(1)?.messages.map((m) => m.id)).toEqual([1, 2, 3]);
    expect(store.chat(1)?.unread).toBe(2);
  });

  it('does not count messages of the chat being looked at, nor the agent’s own', () => {
    let visible = true;
    const store = new ChatStore(() => visible);
    store.upsertSessions([session(1, []), session(2, [])], { announce: false });
    store.setActive(1);
    store.addMessage(msg(1, 1));
    store.addMessage(msg(2, 2, 'agent'));
    store.addMessage(msg(3, 2));
    expect(store.chat(1)?.unread).toBe(0);
    expect(store.chat(2)?.unread).toBe(1);
    // Tab hidden: even the open chat collects unread messages.
    visible = false;
    store.addMessage(msg(4, 1));
    expect(store.chat(1)?.unread).toBe(1);
  });

  it('loads earlier messages a page at a time until the server has no more', () => {
    const store = new ChatStore(() => true);
    store.upsertSessions([{ ...session(1, [msg(10, 1), msg(11, 1)]), hasEarlier: true }], { announce: false });
    expect(store.chat(1)?.hasEarlier).toBe(true);
    store.addEarlier(1, [msg(8, 1), msg(9, 1)], true);
    expect(store.chat(1)?.messages.map((m) => m.id)).toEqual([8, 9, 10, 11]);
    expect(store.chat(1)?.hasEarlier).toBe(true);
    store.addEarlier(1, [msg(7, 1)], false);
    expect(store.chat(1)?.messages.map((m) => m.id)).toEqual([7, 8, 9, 10, 11]);
    expect(store.chat(1)?.hasEarlier).toBe(false);
  });

  it('after a long absence, takes the latest messages instead of leaving a silent gap', () => {
    const store = new ChatStore(() => false);
    store.upsertSessions([session(1, [msg(1, 1), msg(2, 1)])], { announce: false });
    expect(store.chat(1)?.hasEarlier).toBe(false);
    // A catch-up that only carries the latest messages, all newer than what we hold.
    store.upsertSessions([{ ...session(1, [msg(700, 1), msg(701, 1)]), hasEarlier: true }], { announce: true });
    expect(store.chat(1)?.messages.map((m) => m.id)).toEqual([700, 701]);
    expect(store.chat(1)?.hasEarlier).toBe(true);
    expect(store.chat(1)?.unread).toBe(2);
    // Overlapping with what we hold: merged, nothing dropped.
    store.upsertSessions([{ ...session(1, [msg(701, 1), msg(702, 1)]), hasEarlier: true }], { announce: true });
    expect(store.chat(1)?.messages.map((m) => m.id)).toEqual([700, 701, 702]);
    expect(store.chat(1)?.unread).toBe(3);
  });

  it('answers unknown for a session it does not hold', () => {
    const store = new ChatStore(() => true);
    expect(store.addMessage(msg(1, 9))).toBe('unknown');
  });

  it('replaces a pending message with the one the server stored', () => {
    const store = new ChatStore(() => true);
    store.upsertSessions([session(1, [])], { announce: false });
    const local = store.addPending(1, 'hello');
    expect(store.chat(1)?.pending).toHaveLength(1);
    store.confirmPending(1, local, msg(5, 1, 'agent'));
    // The feed brings the same message again.
    store.addMessage(msg(5, 1, 'agent'));
    expect(store.chat(1)?.pending).toHaveLength(0);
    expect(store.chat(1)?.messages.map((m) => m.id)).toEqual([5]);
  });

  it('closes on the closed event and puts a closed chat away only', () => {
    const store = new ChatStore(() => true);
    store.upsertSessions([session(1, [])], { announce: false });
    store.dismiss(1);
    expect(store.chat(1)).toBeDefined();
    store.addMessage({ ...msg(2, 1, 'customer', 'event'), event: { event: 'closed', by: 'customer' } });
    expect(store.chat(1)?.session.status).toBe('closed');
    expect(store.openIds()).toEqual([]);
    store.dismiss(1);
    expect(store.chat(1)).toBeUndefined();
  });

  it('moves a reply’s delivery mark live and takes a fetch’s newer word, keeping everything else', () => {
    const mark = (state: DeliveryView['state'], attempts = 0): DeliveryView => ({ state, attempts, lastError: attempts ? 'HTTP 500' : null, callbackId: 9 });
    const reply = (id: number, delivery: DeliveryView): MessageView => ({ ...msg(id, 1, 'agent'), delivery });
    const store = new ChatStore(() => true);
    store.upsertSessions([session(1, [msg(1, 1), reply(2, mark('sent')), reply(3, mark('sent'))])], { announce: false });
    const before = store.chat(1)!.messages;

    store.setDelivery(1, 2, mark('retrying', 2));
    const after = store.chat(1)!.messages;
    expect(after.map((m) => m.delivery?.state)).toEqual([undefined, 'retrying', 'sent']);
    expect(after[0]).toBe(before[0]);
    expect(after[2]).toBe(before[2]);
    // The same mark again, a message without one, or one we do not hold: nothing changes.
    const state = store.state;
    store.setDelivery(1, 2, mark('retrying', 2));
    store.setDelivery(1, 1, mark('delivered'));
    store.setDelivery(1, 99, mark('delivered'));
    store.setDelivery(7, 2, mark('delivered'));
    expect(store.state).toBe(state);

    // A catch-up after an outage brings marks that moved meanwhile.
    store.upsertSessions([session(1, [reply(2, mark('failed', 5)), reply(3, mark('delivered', 1))])], { announce: true });
    expect(store.chat(1)!.messages.map((m) => m.delivery?.state)).toEqual([undefined, 'failed', 'delivered']);
    expect(store.chat(1)!.unread).toBe(0);
    store.addEarlier(1, [reply(2, mark('delivered', 1))], false);
    expect(store.chat(1)!.messages[1]!.delivery).toEqual(mark('delivered', 1));
  });
});
