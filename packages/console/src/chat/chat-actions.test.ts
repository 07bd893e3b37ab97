import type { MessageView, SessionView } from '@elitewebchat/protocol/browser';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { agentApi } from '../api/agent';
import { ApiError } from '../api/http';
import { sendFile, sendMessage } from './chat-actions';
import { ChatStore } from './chat-store';

const session = (id: number): SessionView => ({
  id,
  requestId: id,
  channelId: 'web',
  queueId: 1,
  agentId: 'A',
  clientId: 'v',
  nickname: 'Ann',
  from: 'PC',
  status: 'open',
  requestedAt: 0,
  startedAt: 0,
  closedAt: null,
  closedBy: null,
  rating: null,
  channelKind: 'web',
  visitor: null,
  agentReadUpTo: 0,
  messages: [],
});
const fileMessage = (id: number): MessageView => ({
  id,
  sessionId: 1,
  sender: 'agent',
  kind: 'file',
  file: { id: 5, name: 'a.pdf', type: 'pdf', mime: 'application/pdf', size: 8, url: '/api/v1/agent/files/5', playable: false },
  createdAt: id,
  clientTime: null,
});
const textMessage = (id: number, text: string): MessageView => ({ id, sessionId: 1, sender: 'agent', kind: 'text', text, createdAt: id, clientTime: null });
const store = () => {
  const chats = new ChatStore(() => true);
  chats.upsertSessions([session(1)], { announce: false });
  return chats;
};
const pdf = new File(['%PDF-1.4'], 'a.pdf', { type: 'application/pdf' });

/** A promise and the hands that settle it. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

describe('sending a file', () => {
  afterEach(() => vi.restoreAllMocks());

  it('adds the answered message once, also when its chat.message came first', async () => {
    const chats = store();
    vi.spyOn(agentApi, 'sendFile').mockResolvedValue(fileMessage(10));
    chats.addMessage(fileMessage(10)); // the feed was quicker
    await sendFile(chats, 1, pdf);
    expect(chats.chat(1)?.messages.map((m) => m.id)).toEqual([10]);
    vi.spyOn(agentApi, 'sendFile').mockResolvedValue(fileMessage(11));
    await sendFile(chats, 1, pdf);
    chats.addMessage(fileMessage(11)); // the feed was slower
    expect(chats.chat(1)?.messages.map((m) => m.id)).toEqual([10, 11]);
  });

  it('goes in turn with the texts: what was sent first reaches the customer first', async () => {
    const chats = store();
    const calls: string[] = [];
    const text = deferred<MessageView>();
    vi.spyOn(agentApi, 'send').mockImplementation((_id, t) => (calls.push(`text ${t}`), text.promise));
    vi.spyOn(agentApi, 'sendFile').mockImplementation(async (_id, _file, name) => (calls.push(`file ${name}`), fileMessage(21)));
    sendMessage(chats, 1, 'first');
    const file = sendFile(chats, 1, pdf);
    await new Promise((r) => setTimeout(r, 0));
    expect(calls).toEqual(['text first']);
    text.resolve(textMessage(20, 'first'));
    await file;
    expect(calls).toEqual(['text first', 'file a.pdf']);
    expect(chats.chat(1)?.messages.map((m) => m.kind)).toEqual(['text', 'file']);
  });

  it('rejects with the platform’s refusal and adds nothing; the next send still goes', async () => {
    const chats = store();
    vi.spyOn(agentApi, 'sendFile').mockRejectedValueOnce(new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', 'no'));
    await expect(sendFile(chats, 1, new File(['<html>'], 'a.html'))).rejects.toMatchObject({ status: 415 });
    expect(chats.chat(1)?.messages).toEqual([]);
    vi.spyOn(agentApi, 'send').mockResolvedValue(textMessage(30, 'after'));
    sendMessage(chats, 1, 'after');
    await vi.waitFor(() => expect(chats.chat(1)?.messages.map((m) => m.id)).toEqual([30]));
  });
});
