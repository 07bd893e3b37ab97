/**
 * The controller against a fake server that behaves as the real one does where it matters here:
 * ids in sequence, a clientMsgId stored once, catch-up by id, refusals as the API answers them.
 */
import type { ConversationView, StartChatBody, VisitorAnswer, VisitorMessage, WebChannelView } from '@elitewebchat/protocol/browser';
import { describe, expect, it } from 'vitest';
import { ApiError } from './api';
import { ChatController, type Api, type ControllerDeps } from './controller';
import type { Feed, FeedHandlers } from './feed';
import { translator } from './i18n';
import { memoryStorage, type KeyValue } from './storage';
import { fakeTimers } from './test-support';

const CHANNEL: WebChannelView = {
  id: 'web',
  queues: [{ id: 1, name: 'Sales', state: 'open' }],
  ratings: [{ id: 1, label: { 'zh-CN': '满意', en: 'Satisfied' } }],
  preChatFields: [],
  identityRequired: false,
  maxImageBytes: 1024 * 1024,
  maxTextLength: 20_000,
};

const view = (patch: Partial<ConversationView> = {}): ConversationView => ({
  state: 'idle',
  requestId: null,
  queueId: null,
  requestStatus: null,
  place: 0,
  estimatedWaitSeconds: null,
  sessionId: null,
  agent: null,
  closedBy: null,
  rating: null,
  agentReadUpTo: 0,
  ...patch,
});

class FakeServer {
  messages: VisitorMessage[] = [];
  conversation = view({ state: 'chatting', requestId: 1, sessionId: 1, agent: { name: 'Bob', icon: '' } });
  offline = false;
  /** Stores the message but the answer is lost (the connection drops on the way back). */
  loseAnswers = false;
  sends: string[] = [];
  startRefusal: ApiError | null = null;
  /** The urls fetched with the token. */
  blobs: string[] = [];
  /** While set, a catch-up's answer (what was stored when it was asked) waits for it. */
  gate: Promise<void> | null = null;
  private nextId = 1;

  add(sender: VisitorMessage['sender'], text: string, clientMsgId: string | null = null): VisitorMessage {
    const m: VisitorMessage = { id: this.nextId++, sender, kind: 'text', text, clientMsgId, createdAt: Date.now() };
    this.messages.push(m);
    return m;
  }

  private check() {
    if (this.offline) throw new ApiError(0, 'NETWORK', 'network error');
  }

  api(): Api {
    const visitor: VisitorAnswer = { token: 't', visitorId: 'v1', expiresAt: 0, identified: false };
    return {
      visit: async () => (this.check(), visitor),
      renewToken: async () => visitor,
      channel: async () => (this.check(), CHANNEL),
      conversation: async () => (this.check(), { visitorId: 'v1', conversation: this.conversation, messages: this.messages.slice(-200), hasEarlier: this.messages.length > 200 }),
      messagesAfter: async (after: number, limit = 200) => {
        this.check();
        const rest = this.messages.filter((m) => m.id > after);
        if (this.gate) await this.gate;
        return { messages: rest.slice(0, limit), hasMore: rest.length > limit };
      },
      messagesBefore: async () => ({ messages: [], hasMore: false }),
      start: async (_body: StartChatBody) => {
        this.check();
        if (this.startRefusal) throw this.startRefusal;
        this.conversation = view({ state: 'waiting', requestId: 2, place: 1 });
        return this.conversation;
      },
      cancel: async () => this.conversation,
      send: async ({ text, clientMsgId }) => {
        this.check();
        this.sends.push(clientMsgId);
        const existing = this.messages.find((m) => m.clientMsgId === clientMsgId);
        const message = existing ?? this.add('customer', text, clientMsgId);
        if (this.loseAnswers) throw new ApiError(0, 'NETWORK', 'network error');
        return { message, duplicate: existing !== undefined };
      },
      image: async () => {
        throw new ApiError(409, 'SESSION_CLOSED', 'this chat has ended: start a new chat');
      },
      close: async () => this.conversation,
      rate: async () => this.conversation,
      leaveMessage: async () => ({ id: 1 }),
      blob: async (url: string) => (this.blobs.push(url), new Blob()),
      transcript: async () => new Blob(),
    };
  }
}

function setup(server = new FakeServer(), storage: KeyValue = memoryStorage(), lang: 'en' | 'zh-CN' = 'en', deps: Partial<ControllerDeps> = {}) {
  const { timers, advance } = fakeTimers();
  let handlers: FeedHandlers | null = null;
  const feedState = { connected: false };
  const typing: boolean[] = [];
  const marks: string[] = [];
  const feed: Feed = {
    start: () => undefined,
    stop: () => undefined,
    reconnect: () => undefined,
    get connected() {
      return feedState.connected;
    },
    typing: (t) => void typing.push(t),
    received: (upTo) => void marks.push(`received ${upTo}`),
    read: (upTo) => void marks.push(`read ${upTo}`),
  };
  const c = new ChatController({
    api: server.api(),
    channelId: 'web',
    storage,
    t: translator(lang),
    lang,
    timers,
    feed: (h) => ((handlers = h), feed),
    ...deps,
  });
  const feedOf = () => {
    if (!handlers) throw new Error('no feed yet');
    return handlers;
  };
  const connect = () => {
    feedState.connected = true;
    feedOf().connected();
  };
  const disconnect = () => {
    feedState.connected = false;
    feedOf().disconnected();
  };
  return { c, server, storage, advance, feedOf, connect, disconnect, typing, marks };
}

const settle = () => new Promise((r) => setTimeout(r, 0));
const texts = (c: ChatController) => c.state.messages.map((m) => m.text);

describe('ChatController', () => {
  it('loads the conversation on boot and keeps it after a reload', async () => {
    const server = new FakeServer();
    server.add('agent', 'hello');
    const { c } = setup(server);
    await c.boot();
    expect(c.state.boot).toBe('ready');
    expect(c.state.conversation?.state).toBe('chatting');
    expect(texts(c)).toEqual(['hello']);
  });

  it('shows a sent message once, however it comes back', async () => {
    const { c, server, feedOf } = setup();
    await c.boot();
    c.sendText('hi /::)');
    expect(c.state.pending.map((p) => p.text)).toEqual(['hi /::)']);
    await settle();
    expect(c.state.pending).toEqual([]);
    expect(texts(c)).toEqual(['hi /::)']);
    // The feed brings the same message again (sent from this tab, or another).
    feedOf().message(server.messages[0] as VisitorMessage);
    expect(texts(c)).toEqual(['hi /::)']);
  });

  it('keeps unsent messages through a network drop and a reload, and sends each once', async () => {
    const storage = memoryStorage();
    const server = new FakeServer();
    const first = setup(server, storage);
    await first.c.boot();
    server.offline = true;
    first.c.sendText('one');
    first.c.sendText('two');
    await settle();
    expect(first.c.state.pending.map((p) => p.text)).toEqual(['one', 'two']);
    expect(server.messages).toHaveLength(0);
    const ids = first.c.state.pending.map((p) => p.clientMsgId);
    first.c.dispose();

    // Reload while offline: the outbox is still there.
    server.offline = false;
    const second = setup(server, storage);
    await second.c.boot();
    await settle();
    second.connect();
    await settle();
    expect(texts(second.c)).toEqual(['one', 'two']);
    expect(second.c.state.pending).toEqual([]);
    expect(server.messages.map((m) => m.clientMsgId)).toEqual(ids);
  });

  it('retries with the same clientMsgId when the answer was lost, and the server stores it once', async () => {
    const { c, server, connect } = setup();
    await c.boot();
    server.loseAnswers = true;
    c.sendText('only once');
    await settle();
    expect(c.state.pending).toHaveLength(1);
    server.loseAnswers = false;
    connect();
    await settle();
    await settle();
    expect(server.sends).toHaveLength(2);
    expect(new Set(server.sends).size).toBe(1);
    expect(server.messages).toHaveLength(1);
    expect(texts(c)).toEqual(['only once']);
    expect(c.state.pending).toEqual([]);
  });

  it('retries by itself with backoff while offline', async () => {
    const { c, server, advance } = setup();
    await c.boot();
    server.offline = true;
    c.sendText('later');
    await settle();
    server.offline = false;
    advance(1_000);
    await settle();
    expect(texts(c)).toEqual(['later']);
  });

  it('catches up on every connect with everything after the highest id, page by page', async () => {
    const { c, server, connect, disconnect } = setup();
    await c.boot();
    connect();
    await settle();
    disconnect();
    for (let i = 0; i < 450; i++) server.add(i % 2 ? 'agent' : 'customer', `m${i}`);
    connect();
    for (let i = 0; i < 10; i++) await settle();
    expect(c.state.messages.map((m) => m.id)).toEqual(server.messages.map((m) => m.id));
    expect(new Set(c.state.messages.map((m) => m.id)).size).toBe(450);
  });

  it("catches up from where it had everything, not from the customer's own message that came back first", async () => {
    const { c, server, connect, disconnect } = setup();
    await c.boot();
    connect();
    await settle();
    // The feed is down; the agent writes twice, then the customer's message goes out and its answer is in.
    disconnect();
    server.add('agent', 'a1');
    server.add('agent', 'a2');
    c.sendText('c1');
    await settle();
    expect(texts(c)).toEqual(['c1']);
    connect();
    for (let i = 0; i < 5; i++) await settle();
    expect(texts(c)).toEqual(['a1', 'a2', 'c1']);
  });

  it('goes on from its own pages when a connect and a push come during a catch-up', async () => {
    const { c, server, connect, disconnect, feedOf } = setup();
    await c.boot();
    connect();
    await settle();
    disconnect();
    server.add('agent', 'a1');
    let open = () => undefined as void;
    server.gate = new Promise<void>((r) => (open = r));
    // Back in the tab: a catch-up asks, and its answer (a1) is on its way.
    c.wake();
    await settle();
    server.gate = null;
    server.add('agent', 'a2');
    connect();
    feedOf().message(server.add('agent', 'a3'));
    open();
    for (let i = 0; i < 5; i++) await settle();
    expect(texts(c)).toEqual(['a1', 'a2', 'a3']);
  });

  it('marks a message the server refuses for good, and lets it be sent again or dropped', async () => {
    const { c, server } = setup();
    await c.boot();
    server.conversation = view({ state: 'ended', requestId: 1, sessionId: 1, closedBy: 'agent' });
    c.sendImage('a.png', 'data:image/png;base64,AAAA');
    await settle();
    expect(c.state.pending[0]?.failed).toContain('this chat has ended');
    c.discard(c.state.pending[0]?.clientMsgId ?? '');
    expect(c.state.pending).toEqual([]);
  });

  it('counts agent messages as unread only while hidden, and announces them', async () => {
    const { c, server, feedOf } = setup();
    await c.boot();
    c.setVisible(false);
    feedOf().message(server.add('agent', 'are you there? /::)'));
    feedOf().message(server.add('customer', 'from another tab', 'x1'));
    feedOf().message(server.add('agent', 'hello'));
    expect(c.state.unread).toBe(2);
    expect(c.state.announcements.map((a) => a.text)).toEqual(['Bob says: are you there? Smile', 'Bob says: hello']);
    c.setVisible(true);
    expect(c.state.unread).toBe(0);
    feedOf().message(server.add('agent', 'again'));
    expect(c.state.unread).toBe(0);
  });

  it("shows an agent's image from the platform without the token, fetches the customer's own with it, and announces a file", async () => {
    const { c, server, feedOf } = setup(new FakeServer(), memoryStorage(), 'en', { origin: 'https://chat.example.com', objectUrls: { create: () => 'blob:mine', revoke: () => undefined } });
    await c.boot();
    const publicId = 'Zx8_k3-Qm2Lp9Tr4Vw1Ya6Bc';
    expect(await c.imageUrl(`/webchat/files/${publicId}`)).toBe(`https://chat.example.com/webchat/files/${publicId}`);
    expect(await c.imageUrl('/api/v1/webchat/web/images/3')).toBe('blob:mine');
    expect(await c.imageUrl('/api/v1/webchat/web/images/3')).toBe('blob:mine');
    // The customer's image once, with the token; the agent's never through the API.
    expect(server.blobs).toEqual(['/api/v1/webchat/web/images/3']);

    c.setVisible(false);
    feedOf().message({ id: 50, sender: 'agent', kind: 'file', file: { name: '报价.pdf', type: 'pdf', size: 20_480, url: `/webchat/files/${publicId}` }, clientMsgId: null, createdAt: Date.now() });
    expect(c.state.messages.map((m) => m.kind)).toEqual(['file']);
    expect(c.state.unread).toBe(1);
    expect(c.state.announcements.map((a) => a.text)).toEqual(['Bob sent a file: 报价.pdf']);
  });

  it('announces acceptance and the end, and shows the agent typing only while chatting', async () => {
    const server = new FakeServer();
    server.conversation = view({ state: 'waiting', requestId: 3, place: 2 });
    const { c, feedOf } = setup(server, memoryStorage(), 'zh-CN');
    await c.boot();
    feedOf().state(view({ state: 'waiting', requestId: 3, place: 1 }));
    feedOf().typing(true);
    expect(c.state.agentTyping).toBe(false);
    feedOf().state(view({ state: 'chatting', requestId: 3, sessionId: 9, agent: { name: '小王', icon: '' } }));
    feedOf().typing(true);
    expect(c.state.agentTyping).toBe(true);
    feedOf().state(view({ state: 'ended', requestId: 3, sessionId: 9, closedBy: 'agent' }));
    expect(c.state.agentTyping).toBe(false);
    expect(c.state.announcements.map((a) => a.text)).toEqual(['您在队列中排第 1 位。', '客服 小王 已接入。', '客服结束了会话。']);
  });

  it('sends typing while chatting: true when it starts, false when the message goes', async () => {
    const { c, typing } = setup();
    await c.boot();
    c.typing(true);
    c.typing(true);
    c.sendText('done');
    expect(typing).toEqual([true, false]);
  });

  it("tells the agent their messages arrived at once, and were read only while the chat is in view", async () => {
    const server = new FakeServer();
    const first = server.add('agent', 'hello');
    const { c, connect, disconnect, feedOf, marks } = setup(server);
    await c.boot();
    // Nothing while the feed is down; on connecting, the newest of the agent's messages.
    expect(marks).toEqual([]);
    connect();
    expect(marks).toEqual([`received ${first.id}`, `read ${first.id}`]);

    // The customer's own messages are nothing to acknowledge.
    feedOf().message(server.add('customer', 'hi', 'c1'));
    expect(marks).toHaveLength(2);

    // Frame closed by the loader, or the page hidden: received, not read, until it is seen.
    c.setVisible(false);
    const second = server.add('agent', 'still there?');
    feedOf().message(second);
    expect(marks.slice(2)).toEqual([`received ${second.id}`]);
    c.setVisible(true);
    expect(marks.slice(3)).toEqual([`read ${second.id}`]);
    c.setPageVisible(false);
    const third = server.add('agent', 'bye');
    feedOf().message(third);
    c.setPageVisible(true);
    expect(marks.slice(4)).toEqual([`received ${third.id}`, `read ${third.id}`]);

    // Told again on a new connection (one sent as it dropped may be lost); never for an ended chat.
    disconnect();
    connect();
    expect(marks.slice(6)).toEqual([`received ${third.id}`, `read ${third.id}`]);
    feedOf().state(view({ state: 'ended', requestId: 1, sessionId: 1, closedBy: 'agent' }));
    feedOf().message(server.add('agent', 'after the end'));
    expect(marks).toHaveLength(8);
  });

  it('names the reason a start was refused, and takes "already waiting" as success', async () => {
    const server = new FakeServer();
    server.conversation = view();
    const { c } = setup(server);
    await c.boot();
    server.startRefusal = new ApiError(409, 'OUTSIDE_WORKING_HOURS', 'queue 1 is closed now');
    expect(await c.start({ nickname: 'lori' })).toEqual({ ok: false, code: 'OUTSIDE_WORKING_HOURS', message: 'queue 1 is closed now' });
    server.startRefusal = new ApiError(409, 'ALREADY_WAITING', 'you already have request 1 waiting');
    server.conversation = view({ state: 'waiting', requestId: 1, place: 1 });
    expect(await c.start({ nickname: 'lori' })).toEqual({ ok: true });
    expect(c.state.conversation?.state).toBe('waiting');
    server.startRefusal = new ApiError(429, 'TOO_MANY_ATTEMPTS', 'slow down');
    await expect(c.start({ nickname: 'lori' })).rejects.toThrow('slow down');
  });

  it('tells why the boot failed and boots again when asked', async () => {
    const server = new FakeServer();
    server.offline = true;
    const { c } = setup(server);
    await c.boot();
    expect(c.state.boot).toBe('failed');
    expect(c.state.bootError).toBe('Network error: check your connection.');
    server.offline = false;
    c.wake();
    await settle();
    await settle();
    expect(c.state.boot).toBe('ready');
  });
});
