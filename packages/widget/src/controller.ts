/**
 * The chat as one object the views read and call: the visitor, the channel, the conversation's
 * state, its messages and the outbox, kept right across reloads, reconnects and lost answers.
 *
 * What keeps it whole: every message has an id (the server's sequence) and each one the customer
 * writes a clientMsgId. Messages are merged by id, a pending one leaves the outbox when the stored
 * message with its clientMsgId arrives, and on every (re)connect, return to the tab or return
 * online the controller asks for everything after its cursor: the id up to which it has every
 * message. Only the first load and the catch-ups move the cursor. A message that comes another way
 * (the answer to the customer's own send, a push) can have a higher id than one it has not got yet
 * (the agent's, stored while the feed was down), so the highest id shown is not where to start.
 */
import {
  RequestStatus,
  type ConversationView,
  type LeftMessageBody,
  type PageInfo,
  type StartChatBody,
  type VisitorAnswer,
  type VisitorMessage,
  type WebChannelView,
} from '@elitewebchat/protocol/browser';
import { ApiError, type WebChatApi } from './api';
import type { Feed, FeedHandlers } from './feed';
import type { Lang, Translate, Key } from './i18n';
import { agentFileUrl } from './files';
import { formatBytes } from './images';
import { highestId, mergeMessages, newClientMsgId, type PendingMessage } from './merge';
import { Outbox } from './outbox';
import { speakable } from './speakable';
import { keys, type KeyValue } from './storage';
import { Store } from './store';
import { realTimers, TypingSignal, type Timers } from './typing';

export interface Announcement {
  id: number;
  text: string;
}

export interface ChatState {
  boot: 'loading' | 'ready' | 'failed';
  bootError: string | null;
  channel: WebChannelView | null;
  conversation: ConversationView | null;
  /** Stored messages, by id. */
  messages: readonly VisitorMessage[];
  /** The outbox: written, not yet stored. */
  pending: readonly PendingMessage[];
  hasEarlier: boolean;
  connected: boolean;
  /** The feed was tried at least once: before that, no "disconnected" banner. */
  feedTried: boolean;
  agentTyping: boolean;
  /** For the screen reader's live region: the latest few, oldest first. */
  announcements: readonly Announcement[];
  /** Agent messages that arrived while the chat was hidden (the loader's badge). */
  unread: number;
  /** Why the last request ended without a chat, when it ended on this page. */
  notice: Key | null;
}

export type Api = Pick<
  WebChatApi,
  'visit' | 'renewToken' | 'channel' | 'conversation' | 'messagesAfter' | 'messagesBefore' | 'start' | 'cancel' | 'send' | 'image' | 'close' | 'rate' | 'leaveMessage' | 'blob' | 'transcript'
>;

export interface ControllerDeps {
  api: Api;
  channelId: string;
  storage: KeyValue;
  feed: (handlers: FeedHandlers) => Feed;
  t: Translate;
  lang: Lang;
  /** The browser's own language, told to the agent (navigator.language). */
  language?: string;
  timers?: Timers;
  objectUrls?: { create(blob: Blob): string; revoke(url: string): void };
  /** The platform's origin (this page's): where an agent's images and files are fetched from. */
  origin?: string;
}

/** A start refused for a reason the customer can act on (leave a message instead). */
export type StartResult = { ok: true } | { ok: false; code: string; message: string };

const RETRY_MAX_MS = 30_000;
const POLL_MS = 15_000;
const AGENT_TYPING_MS = 15_000;
const RENEW_GAP_MS = 5_000;

function hasId(list: readonly VisitorMessage[], id: number): boolean {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const v = (list[mid] as VisitorMessage).id;
    if (v === id) return true;
    if (v < id) lo = mid + 1;
    else hi = mid;
  }
  return false;
}

export class ChatController {
  readonly store = new Store<ChatState>({
    boot: 'loading',
    bootError: null,
    channel: null,
    conversation: null,
    messages: [],
    pending: [],
    hasEarlier: false,
    connected: false,
    feedTried: false,
    agentTyping: false,
    announcements: [],
    unread: 0,
    notice: null,
  });
  private outbox: Outbox | null = null;
  private feed: Feed | null = null;
  private readonly timers: Timers;
  private readonly typingSignal: TypingSignal;
  /** The loader shows the frame (always, on the hosted page). */
  private visible = true;
  /** The browser shows the page (document.visibilityState). */
  private pageVisible = true;
  /** The highest of the agent's messages told to the server as received and as read on this connection. */
  private told = { received: 0, read: 0 };
  private flushing = false;
  private flushAgain = false;
  private retryDelay = 1_000;
  private retryTimer: unknown = null;
  private pollTimer: unknown = null;
  private typingTimer: unknown = null;
  private catchingUp: Promise<void> | null = null;
  /** Every message of the conversation up to this id is here: where the next catch-up starts. */
  private cursor = 0;
  private catchUpAgain = false;
  private lastRenew = -Infinity;
  private announceSeq = 0;
  /** Object URLs of the customer's images, by url (fetched with the token). */
  private readonly images = new Map<string, Promise<string>>();
  private disposed = false;
  /** What the embedding page says about itself, for the request and left messages. */
  page: PageInfo | undefined;

  constructor(private readonly deps: ControllerDeps) {
    this.timers = deps.timers ?? realTimers;
    this.typingSignal = new TypingSignal((typing) => this.feed?.typing(typing), this.timers);
  }

  get state(): ChatState {
    return this.store.get();
  }

  // ---- start-up ----

  async boot(): Promise<void> {
    this.store.set({ boot: 'loading', bootError: null });
    try {
      // The channel needs no token: asked for at once, beside the visitor.
      const channelAnswer = this.deps.api.channel();
      channelAnswer.catch(() => undefined);
      const visitor = await this.deps.api.visit();
      const [channel] = await Promise.all([channelAnswer, this.load(visitor)]);
      this.store.set({ channel, boot: 'ready' });
    } catch (error) {
      this.store.set({ boot: 'failed', bootError: this.errorText(error) });
      return;
    }
    if (!this.feed && !this.disposed) {
      this.feed = this.deps.feed({
        connected: () => this.onConnected(),
        disconnected: () => this.onDisconnected(),
        unauthenticated: () => void this.onUnauthenticated(),
        message: (m) => this.apply([m], true),
        state: (v) => this.setConversation(v),
        typing: (typing) => this.setAgentTyping(typing),
      });
      this.feed.start();
    }
    void this.flush();
  }

  /** The visitor's conversation from scratch: state, latest messages, their outbox. */
  private async load(visitor: VisitorAnswer): Promise<void> {
    this.outbox = new Outbox(this.deps.storage, keys.outbox(this.deps.channelId), visitor.visitorId);
    const answer = await this.deps.api.conversation();
    const messages = mergeMessages([], answer.messages);
    this.cursor = highestId(messages);
    this.settle(messages);
    this.store.set({ messages, hasEarlier: answer.hasEarlier, pending: this.outbox.list() });
    this.setConversation(answer.conversation);
  }

  /** This browser became another visitor (its token had expired): start over as that one. */
  async visitorChanged(visitor: VisitorAnswer): Promise<void> {
    this.store.set({ messages: [], pending: [], conversation: null, notice: null });
    try {
      await this.load(visitor);
    } catch {
      // The next catch-up or reconnect tries again.
    }
    this.feed?.reconnect();
  }

  dispose(): void {
    this.disposed = true;
    this.feed?.stop();
    this.typingSignal.stop();
    for (const t of [this.retryTimer, this.pollTimer, this.typingTimer]) if (t !== null) this.timers.clear(t);
    for (const p of this.images.values()) void p.then((url) => this.deps.objectUrls?.revoke(url), () => undefined);
  }

  // ---- the feed ----

  private onConnected(): void {
    this.store.set({ connected: true, feedTried: true });
    // A mark sent just before the connection dropped may be lost: tell them again (the server keeps the highest).
    this.told = { received: 0, read: 0 };
    this.acknowledge();
    if (this.pollTimer !== null) this.timers.clear(this.pollTimer);
    this.pollTimer = null;
    void this.catchUp();
    void this.flush();
  }

  private onDisconnected(): void {
    this.store.set({ connected: false, feedTried: true, agentTyping: false });
    this.schedulePoll();
  }

  /** While the feed is down, ask now and then: a network that blocks sockets still gets the chat. */
  private schedulePoll(): void {
    if (this.pollTimer !== null || this.disposed) return;
    this.pollTimer = this.timers.set(() => {
      this.pollTimer = null;
      if (this.state.connected || this.disposed) return;
      void this.refresh().finally(() => this.schedulePoll());
    }, POLL_MS);
  }

  private async onUnauthenticated(): Promise<void> {
    const now = this.timers.now();
    if (now - this.lastRenew < RENEW_GAP_MS) {
      this.timers.set(() => this.feed?.reconnect(), RENEW_GAP_MS);
      return;
    }
    this.lastRenew = now;
    try {
      await this.deps.api.renewToken();
    } catch {
      // Offline: the next wake-up tries again.
    }
    this.feed?.reconnect();
  }

  /** Back online, or the tab is visible again: reconnect now and fetch what was missed. */
  wake(): void {
    if (this.state.boot !== 'ready') {
      if (this.state.boot === 'failed') void this.boot();
      return;
    }
    if (this.feed && !this.feed.connected) this.feed.reconnect();
    void this.catchUp();
    void this.flush();
  }

  /** The state and everything since the highest id seen (when the feed cannot say). */
  async refresh(): Promise<void> {
    try {
      const answer = await this.deps.api.conversation();
      this.apply(answer.messages, true);
      this.setConversation(answer.conversation);
      await this.catchUp();
    } catch {
      // Still offline.
    }
  }

  /** Everything after the cursor, page by page; once more if asked again while it runs (a connect during it). */
  catchUp(): Promise<void> {
    if (this.catchingUp) {
      this.catchUpAgain = true;
      return this.catchingUp;
    }
    this.catchingUp = (async () => {
      try {
        do {
          this.catchUpAgain = false;
          for (;;) {
            const page = await this.deps.api.messagesAfter(this.cursor);
            this.apply(page.messages, true);
            this.cursor = Math.max(this.cursor, highestId(page.messages));
            if (!page.hasMore || page.messages.length === 0) break;
          }
        } while (this.catchUpAgain);
      } catch {
        // Offline again: the next connect catches up.
      } finally {
        this.catchingUp = null;
      }
    })();
    return this.catchingUp;
  }

  async loadEarlier(): Promise<void> {
    const first = this.state.messages[0];
    if (!first) return;
    const page = await this.deps.api.messagesBefore(first.id);
    this.apply(page.messages, false);
    this.store.set({ hasEarlier: page.hasMore });
  }

  // ---- what arrives ----

  /** Merges stored messages in; `live` ones (not from the first load) may be announced. */
  private apply(incoming: readonly VisitorMessage[], live: boolean): void {
    if (incoming.length === 0) return;
    const before = this.state.messages;
    const fresh = incoming.filter((m) => !hasId(before, m.id));
    const messages = mergeMessages(before, incoming);
    if (messages === before) return;
    this.settle(fresh);
    const patch: Partial<ChatState> = { messages, pending: this.outbox?.list() ?? [] };
    if (live) {
      const fromAgent = fresh.filter((m) => m.sender === 'agent' && m.kind !== 'event');
      if (fromAgent.length > 0) {
        patch.agentTyping = false;
        if (!this.visible) patch.unread = this.state.unread + fromAgent.length;
        // A burst (a catch-up after a long absence) is announced by its latest message only.
        const last = fromAgent[fromAgent.length - 1] as VisitorMessage;
        this.announce(this.describe(last));
      }
    }
    this.store.set(patch);
    this.acknowledge();
  }

  private settle(stored: readonly VisitorMessage[]): void {
    const ids = new Set<string>();
    for (const m of stored) if (m.clientMsgId) ids.add(m.clientMsgId);
    if (ids.size > 0) this.outbox?.settle(ids);
  }

  private describe(m: VisitorMessage): string {
    const { t, lang } = this.deps;
    const name = this.state.conversation?.agent?.name || t('agent');
    if (m.kind === 'image') return t('announce.image', { name });
    if (m.kind === 'file') return t('announce.file', { name, file: m.file?.name ?? '' });
    return t('announce.message', { name, text: speakable(m.text ?? '', lang, t('image.alt', { name: '' })) });
  }

  private setConversation(next: ConversationView): void {
    const prev = this.state.conversation;
    const patch: Partial<ChatState> = { conversation: next };
    const { t } = this.deps;
    if (prev && prev.requestId === next.requestId && prev.state !== next.state) {
      if (next.state === 'chatting') this.announce(t('announce.accepted', { name: next.agent?.name || t('agent') }));
      if (next.state === 'ended') this.announce(t(`ended.${next.closedBy ?? 'system'}`));
      if (prev.state === 'waiting' && next.state === 'idle') patch.notice = noticeFor(next.requestStatus);
    } else if (prev && next.state === 'waiting' && prev.state === 'waiting' && prev.place !== next.place && next.place > 0) {
      this.announce(t('waiting.place', { n: next.place }));
    }
    if (next.state !== 'chatting') {
      patch.agentTyping = false;
      this.typingSignal.stop();
    }
    if (next.state === 'waiting' || next.state === 'chatting') patch.notice = null;
    this.store.set(patch);
    this.acknowledge();
    // Accepted: images waiting for a chat can go now.
    if (prev?.state !== next.state) void this.flush();
  }

  private setAgentTyping(typing: boolean): void {
    if (this.typingTimer !== null) this.timers.clear(this.typingTimer);
    this.typingTimer = null;
    if (typing) this.typingTimer = this.timers.set(() => this.store.set({ agentTyping: false }), AGENT_TYPING_MS);
    this.store.set({ agentTyping: typing && this.state.conversation?.state === 'chatting' });
  }

  private announce(text: string): void {
    const list = [...this.state.announcements, { id: ++this.announceSeq, text }].slice(-3);
    this.store.set({ announcements: list });
  }

  /** The loader shows or hides the frame: unread counts only while hidden. */
  setVisible(visible: boolean): void {
    this.visible = visible;
    if (visible) this.store.set({ unread: 0 });
    this.acknowledge();
  }

  /** The browser shows or hides the page (another tab, minimised). */
  setPageVisible(visible: boolean): void {
    this.pageVisible = visible;
    this.acknowledge();
  }

  /**
   * Tells the agent how far their messages of this chat got: received as soon as they are here,
   * read once the chat is in view. Only the newest counts; the server ignores what is not the
   * agent's message of the visitor's open chat (e.g. one of an earlier chat).
   */
  private acknowledge(): void {
    const feed = this.feed;
    if (!feed?.connected || this.state.conversation?.state !== 'chatting') return;
    const newest = newestAgentText(this.state.messages);
    if (newest > this.told.received) {
      this.told.received = newest;
      feed.received(newest);
    }
    if (this.visible && this.pageVisible && newest > this.told.read) {
      this.told.read = newest;
      feed.read(newest);
    }
  }

  // ---- what the customer does ----

  async start(body: Omit<StartChatBody, 'page' | 'language'>): Promise<StartResult> {
    const full: StartChatBody = { ...body, language: this.deps.language || this.deps.lang };
    if (this.page) full.page = this.page;
    try {
      const view = await this.deps.api.start(full);
      this.setConversation(view);
      return { ok: true };
    } catch (error) {
      if (error instanceof ApiError && (error.code === 'ALREADY_WAITING' || error.code === 'ALREADY_CHATTING')) {
        await this.refresh();
        return { ok: true };
      }
      if (error instanceof ApiError && error.status === 409) return { ok: false, code: error.code, message: error.message };
      throw error;
    }
  }

  async cancel(): Promise<void> {
    this.setConversation(await this.deps.api.cancel());
    this.store.set({ notice: 'reason.cancelled' });
  }

  async endChat(): Promise<void> {
    this.typingSignal.stop();
    this.setConversation(await this.deps.api.close());
    void this.catchUp();
  }

  async rate(ratingId: number, comments: string): Promise<void> {
    this.setConversation(await this.deps.api.rate({ ratingId, comments }));
    void this.catchUp();
  }

  async leaveMessage(body: Omit<LeftMessageBody, 'page' | 'language'>): Promise<void> {
    const full: LeftMessageBody = { ...body, language: this.deps.language || this.deps.lang };
    if (this.page) full.page = this.page;
    await this.deps.api.leaveMessage(full);
  }

  /** The name given last time on this browser, offered again. */
  savedNickname(): string {
    return this.deps.storage.get(keys.nickname(this.deps.channelId)) ?? '';
  }

  saveNickname(nickname: string): void {
    this.deps.storage.set(keys.nickname(this.deps.channelId), nickname);
  }

  sendText(text: string): void {
    if (text.trim() === '') return;
    this.typingSignal.stop();
    this.enqueue({ clientMsgId: newClientMsgId(), kind: 'text', text, createdAt: Date.now() });
  }

  sendImage(name: string, dataUri: string): void {
    this.enqueue({ clientMsgId: newClientMsgId(), kind: 'image', name, dataUri, createdAt: Date.now() });
  }

  private enqueue(item: PendingMessage): void {
    if (!this.outbox) return;
    this.outbox.add(item);
    this.store.set({ pending: this.outbox.list() });
    void this.flush();
  }

  /** A refused message, tried again by hand. */
  resend(clientMsgId: string): void {
    this.outbox?.update(clientMsgId, { failed: undefined });
    this.store.set({ pending: this.outbox?.list() ?? [] });
    void this.flush();
  }

  discard(clientMsgId: string): void {
    this.outbox?.remove(clientMsgId);
    this.store.set({ pending: this.outbox?.list() ?? [] });
  }

  typing(hasText: boolean): void {
    if (this.state.conversation?.state !== 'chatting') return;
    if (hasText) this.typingSignal.input();
    else this.typingSignal.stop();
  }

  stopTyping(): void {
    this.typingSignal.stop();
  }

  /** Sends the outbox in order, each with its clientMsgId, until it is empty or the network fails. */
  async flush(): Promise<void> {
    if (this.flushing) {
      this.flushAgain = true;
      return;
    }
    if (!this.outbox || this.state.boot !== 'ready') return;
    this.flushing = true;
    let transient = false;
    try {
      do {
        this.flushAgain = false;
        for (const item of this.outbox.list()) {
          if (item.failed) continue;
          const state = this.state.conversation?.state;
          // An image needs an accepted chat; while waiting it stays queued.
          if (item.kind === 'image' && state === 'waiting') continue;
          try {
            const answer =
              item.kind === 'text'
                ? await this.deps.api.send({ text: item.text ?? '', clientMsgId: item.clientMsgId })
                : await this.deps.api.image({ name: item.name ?? 'image', dataUri: item.dataUri ?? '', clientMsgId: item.clientMsgId });
            this.outbox.remove(item.clientMsgId);
            this.apply([answer.message], false);
            this.store.set({ pending: this.outbox.list() });
            this.retryDelay = 1_000;
          } catch (error) {
            if (error instanceof ApiError && !error.transient) {
              this.outbox.update(item.clientMsgId, { failed: this.errorText(error) });
              this.store.set({ pending: this.outbox.list() });
              continue;
            }
            transient = true;
            break;
          }
        }
      } while (this.flushAgain && !transient);
    } finally {
      this.flushing = false;
    }
    if (transient) this.scheduleRetry();
  }

  private scheduleRetry(): void {
    if (this.retryTimer !== null || this.disposed) return;
    const delay = this.retryDelay;
    this.retryDelay = Math.min(this.retryDelay * 2, RETRY_MAX_MS);
    this.retryTimer = this.timers.set(() => {
      this.retryTimer = null;
      void this.flush();
    }, delay);
  }

  /**
   * Where to show an image of the conversation from: an agent's, its public address on the
   * platform; the customer's own, an object URL of it fetched with the token (once).
   */
  imageUrl(url: string): Promise<string> {
    const open = this.fileUrl(url);
    if (open) return Promise.resolve(open);
    let p = this.images.get(url);
    if (!p) {
      p = this.deps.api.blob(url).then((blob) => (this.deps.objectUrls ?? { create: (b: Blob) => URL.createObjectURL(b) }).create(blob));
      p.catch(() => this.images.delete(url));
      this.images.set(url, p);
    }
    return p;
  }

  /** The address of a file (or image) an agent sent, on the platform; null for any other url. */
  fileUrl(url: string): string | null {
    return agentFileUrl(url, this.deps.origin ?? '');
  }

  transcript(): Promise<Blob> {
    return this.deps.api.transcript(this.deps.lang);
  }

  /** What to tell the customer about a failed call. */
  errorText(error: unknown): string {
    const { t } = this.deps;
    if (error instanceof ApiError) {
      if (error.status === 0) return t('error.network');
      if (error.status === 429) return t('error.rate');
      if (error.status === 413) return t('image.tooBig', { size: formatBytes(this.state.channel?.maxImageBytes ?? 0) });
      return t('error.generic', { message: error.message });
    }
    return t('error.generic', { message: error instanceof Error ? error.message : String(error) });
  }
}

/** The id of the newest of the agent's text messages (messages are sorted by id), or 0. */
function newestAgentText(messages: readonly VisitorMessage[]): number {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i] as VisitorMessage;
    if (m.sender === 'agent' && m.kind === 'text') return m.id;
  }
  return 0;
}

/** Why a request ended without a chat (RequestStatus), as a notice on the form. */
function noticeFor(status: number | null): Key {
  switch (status) {
    case RequestStatus.NO_AGENT_ONLINE:
      return 'reason.no-agents';
    case RequestStatus.OFF_HOUR:
      return 'reason.closed-hours';
    case RequestStatus.CANCELED_BY_CLIENT:
      return 'reason.cancelled';
    default:
      return 'reason.previous';
  }
}
