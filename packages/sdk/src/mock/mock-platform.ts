/**
 * The mock's model of the platform: channels, queues, requests, sessions, messages and the
 * callbacks they cause, all in memory. The TPI (tpi.ts), the scripts (script.ts) and the control
 * API (control.ts) act through these operations, so every path makes the same callbacks.
 */
import { randomBytes } from 'node:crypto';
import { ENDED_REASONS, RequestStatus, type CallbackBodies, type CallbackName } from '@elitewebchat/protocol';
import { ReplayCache } from './auth.js';
import { CallbackSender } from './callbacks.js';
import type { MockAgent, MockChannel, MockQueue, ResolvedConfig } from './config.js';
import { TpiFailure } from './parse.js';
import { Timers, scheduleAgent, scheduleReplies, scheduleWaiting } from './script.js';
import type { MockCustomerRecord, MockMessage, MockRequest, MockSession, MockState, MockUpload } from './state.js';

interface Token {
  channelId: string;
  clientId: string;
  expiresAt: number;
}

export class MockPlatform {
  readonly requests: MockRequest[] = [];
  readonly sessions: MockSession[] = [];
  readonly messages: MockMessage[] = [];
  readonly customers: MockCustomerRecord[] = [];
  readonly uploads: MockUpload[] = [];
  readonly timers = new Timers();
  readonly sender: CallbackSender;
  /** Signed calls seen in the last 300 s (auth.ts). */
  readonly replays = new ReplayCache();
  private readonly tokens = new Map<string, Token>();
  private nextRequestId = 101;
  private nextSessionId = 1001;
  private nextMessageId = 1;

  constructor(readonly config: ResolvedConfig) {
    this.sender = new CallbackSender(config.callbacks);
  }

  state(): MockState {
    return structuredClone({ requests: this.requests, sessions: this.sessions, messages: this.messages, callbacks: this.sender.all, customers: this.customers, uploads: this.uploads });
  }

  async stop(): Promise<void> {
    this.timers.clearAll();
    await this.sender.stop();
  }

  // ---- look-ups ----

  channel(id: string): MockChannel {
    return this.config.channels.find((c) => c.id === id)!;
  }

  queue(id: number): MockQueue | undefined {
    return this.config.queues.find((q) => q.id === id);
  }

  agentOf(queue: MockQueue | undefined, agentId?: string): MockAgent {
    const id = agentId ?? queue?.agentId;
    return this.config.agents.find((a) => a.id === id) ?? this.config.agents[0]!;
  }

  agent(id: string): MockAgent {
    return this.agentOf(undefined, id);
  }

  request(channel: MockChannel, requestId: number): MockRequest | undefined {
    return this.requests.find((r) => r.requestId === requestId && r.channelId === channel.id);
  }

  session(channel: MockChannel, sessionId: number): MockSession | undefined {
    return this.sessions.find((s) => s.sessionId === sessionId && s.channelId === channel.id);
  }

  sessionById(sessionId: number): MockSession | undefined {
    return this.sessions.find((s) => s.sessionId === sessionId);
  }

  requestById(requestId: number): MockRequest | undefined {
    return this.requests.find((r) => r.requestId === requestId);
  }

  /** The request's 1-based place among the waiting requests of its queue; 0 when it does not wait. */
  place(request: MockRequest): number {
    if (request.requestStatus !== RequestStatus.WAITING) return 0;
    return this.requests.filter((r) => r.queueId === request.queueId && r.requestStatus === RequestStatus.WAITING && r.requestId <= request.requestId).length;
  }

  positionSentence(queueId: number, place: number): string {
    return (this.queue(queueId)?.positionMessage ?? '当前排在第{position}位').replaceAll('{position}', String(place));
  }

  // ---- requests ----

  /** 1000, after its fields were checked. */
  chatRequest(channel: MockChannel, body: { clientId: string; nickname?: string | undefined; queueId: number; serverAddr?: string | undefined }): { requestId: number; queueLength: number; continueLastSession?: true } {
    let base = channel.callbackBase;
    if (body.serverAddr !== undefined) {
      const problem = serverAddrProblem(body.serverAddr);
      if (problem) throw new TpiFailure(-8, `serverAddr ${problem}`);
      base = body.serverAddr;
    }
    if (base === undefined) throw new TpiFailure(-8, `channel ${channel.id} has no callbackBase: give serverAddr`);
    const queue = this.queue(body.queueId);
    if (!queue) throw new TpiFailure(-7, `no queue ${body.queueId}`);
    const open = this.sessions.find((s) => s.channelId === channel.id && s.clientId === body.clientId && s.open);
    if (open && open.queueId !== body.queueId) throw new TpiFailure(-2, `${body.clientId} is in session ${open.sessionId} in queue ${open.queueId}: close it (4001) first`);
    if (open) {
      const request = this.addRequest(channel, body, base, RequestStatus.ACCEPTED);
      request.sessionId = open.sessionId;
      request.continued = true;
      request.endedAt = Date.now();
      open.callbackBase = base.replace(/\/+$/, '');
      this.sendCreate(open);
      return { requestId: request.requestId, queueLength: 0, continueLastSession: true };
    }
    const waiting = this.requests.find((r) => r.channelId === channel.id && r.clientId === body.clientId && r.requestStatus === RequestStatus.WAITING);
    if (waiting) throw new TpiFailure(-1, `${body.clientId} already has request ${waiting.requestId} waiting in queue ${waiting.queueId}`);
    if (queue.refuse === 'invalidQueue') throw new TpiFailure(-4, `queue ${queue.id} is disabled or has no enabled agent (scripted)`);
    if (queue.refuse === 'offHours') throw new TpiFailure(-3, `queue ${queue.id} is outside its working hours (scripted)`);
    if (queue.refuse === 'noAgent') throw new TpiFailure(-5, `no agent of queue ${queue.id} is online (scripted)`);
    const request = this.addRequest(channel, body, base, RequestStatus.WAITING);
    scheduleWaiting(this, request, queue);
    return { requestId: request.requestId, queueLength: this.place(request) };
  }

  private addRequest(channel: MockChannel, body: { clientId: string; nickname?: string | undefined; queueId: number }, base: string, status: number): MockRequest {
    const request: MockRequest = {
      requestId: this.nextRequestId++,
      channelId: channel.id,
      clientId: body.clientId,
      nickname: body.nickname || body.clientId,
      queueId: body.queueId,
      requestStatus: status,
      callbackBase: base.replace(/\/+$/, ''),
      createdAt: Date.now(),
    };
    this.requests.push(request);
    return request;
  }

  /** 1002. */
  cancel(channel: MockChannel, requestId: number): string {
    const request = this.request(channel, requestId);
    if (!request) throw new TpiFailure(-10, `no request ${requestId}`);
    if (request.requestStatus === RequestStatus.CANCELED_BY_CLIENT) return 'already canceled';
    if (request.requestStatus !== RequestStatus.WAITING || request.sessionId !== undefined) {
      throw new TpiFailure(-10, `request ${requestId} is no longer waiting (state ${request.requestStatus})${request.sessionId ? `: end session ${request.sessionId} with 4001` : ''}`);
    }
    this.endRequest(request, RequestStatus.CANCELED_BY_CLIENT);
    return 'success';
  }

  /** 2005 of the seed, 2020: stored while waiting, or as a message of the open session. */
  preMessage(channel: MockChannel, requestId: number, text: string): void {
    const request = this.request(channel, requestId);
    if (!request) throw new TpiFailure(-10, `no request ${requestId}`);
    const session = request.sessionId === undefined ? undefined : this.sessionById(request.sessionId);
    if (session?.open) {
      this.addMessage({ sessionId: session.sessionId, requestId, from: 'customer', kind: 'text', text, userId: session.clientId });
      return;
    }
    if (request.requestStatus !== RequestStatus.WAITING) throw new TpiFailure(-10, `request ${requestId} has ended (state ${request.requestStatus})`);
    this.addMessage({ sessionId: 0, requestId, from: 'customer', kind: 'pre', text, userId: request.clientId });
  }

  /** An agent takes a waiting request (the script, or POST /mock/requests/{id}/accept). */
  accept(request: MockRequest, agentId?: string): MockSession {
    if (request.requestStatus !== RequestStatus.WAITING) throw new Error(`request ${request.requestId} is not waiting`);
    const queue = this.queue(request.queueId);
    const agent = this.agentOf(queue, agentId);
    this.timers.clearRequest(request.requestId);
    let session = request.sessionId === undefined ? undefined : this.sessionById(request.sessionId);
    if (session) {
      // After a 2023: the same session, a new create.
      session.transferring = false;
      session.agentId = agent.id;
      session.queueId = request.queueId;
    } else {
      session = {
        sessionId: this.nextSessionId++,
        channelId: request.channelId,
        requestId: request.requestId,
        clientId: request.clientId,
        queueId: request.queueId,
        agentId: agent.id,
        open: true,
        callbackBase: request.callbackBase,
        notices: [],
        createdAt: Date.now(),
      };
      this.sessions.push(session);
      request.sessionId = session.sessionId;
      for (const m of this.messages) if (m.requestId === request.requestId && m.sessionId === 0) m.sessionId = session.sessionId;
    }
    this.leaveWaiting(request, RequestStatus.ACCEPTED);
    this.sendCreate(session);
    if (queue) scheduleAgent(this, session, queue);
    return session;
  }

  /** A waiting request ends without an agent (or a transferred session's wait runs out: it closes). */
  endRequest(request: MockRequest, status: number, note?: string): void {
    this.timers.clearRequest(request.requestId);
    const session = request.sessionId === undefined ? undefined : this.sessionById(request.sessionId);
    if (note !== undefined) request.endNote = note;
    if (session?.transferring) {
      session.transferring = false;
      this.leaveWaiting(request, RequestStatus.ACCEPTED);
      this.agentClose(session);
      return;
    }
    this.leaveWaiting(request, status);
  }

  private leaveWaiting(request: MockRequest, status: number): void {
    const behind = this.requests.filter((r) => r.queueId === request.queueId && r.requestStatus === RequestStatus.WAITING && r.requestId > request.requestId);
    request.requestStatus = status;
    request.endedAt = Date.now();
    this.notifyRequest(request);
    for (const other of behind) this.notifyRequest(other);
  }

  /** updateRequestStatus, to channels that listed it in laterCallbacks. */
  private notifyRequest(request: MockRequest): void {
    const channel = this.channel(request.channelId);
    if (!channel.laterCallbacks?.includes('updateRequestStatus')) return;
    const place = this.place(request);
    const status = request.requestStatus;
    const message =
      status === RequestStatus.WAITING
        ? this.positionSentence(request.queueId, place)
        : status === RequestStatus.ACCEPTED
          ? 'accepted'
          : (request.endNote ?? ENDED_REASONS[status] ?? 'ended');
    const body: CallbackBodies['updateRequestStatus'] = {
      clientId: request.clientId,
      requestId: request.requestId,
      ...(request.sessionId !== undefined ? { sessionId: request.sessionId } : {}),
      requestStatus: status,
      queueLength: place,
      message,
      time: Date.now(),
    };
    this.sender.send(`r:${request.requestId}`, request.callbackBase, 'updateRequestStatus', body, channel.webhookSecrets ?? [], { requestId: request.requestId, ...(request.sessionId !== undefined ? { sessionId: request.sessionId } : {}) });
  }

  // ---- sessions ----

  /** An open session of the channel, or -11. */
  openSession(channel: MockChannel, sessionId: number): MockSession {
    const session = this.session(channel, sessionId);
    if (!session) throw new TpiFailure(-11, `no session ${sessionId}`);
    if (!session.open) throw new TpiFailure(-11, `session ${sessionId} is closed`);
    return session;
  }

  /** A customer's message (2001, 2002, media): stored once per msgId; the agent's replies follow. Answers whether it was a duplicate. */
  customerMessage(session: MockSession, kind: MockMessage['kind'], text: string, options: { msgId?: string | undefined; extra?: string | undefined; replyText?: string }): 'stored' | 'duplicate' {
    if (options.msgId !== undefined && this.messages.some((m) => m.sessionId === session.sessionId && m.from === 'customer' && m.msgId === options.msgId)) return 'duplicate';
    this.addMessage({ sessionId: session.sessionId, from: 'customer', kind, text, userId: session.clientId, ...(options.msgId !== undefined ? { msgId: options.msgId } : {}), ...(options.extra !== undefined ? { extra: options.extra } : {}) });
    const queue = this.queue(session.queueId);
    if (queue && !session.transferring) scheduleReplies(this, session, queue, options.replyText ?? text);
    return 'stored';
  }

  addMessage(message: Omit<MockMessage, 'id' | 'time'>): MockMessage {
    const stored: MockMessage = { id: this.nextMessageId++, time: Date.now(), ...message };
    this.messages.push(stored);
    return stored;
  }

  /** The agent writes: stored, and a msg callback. */
  agentMessage(session: MockSession, content: string): MockMessage {
    if (!session.open) throw new Error(`session ${session.sessionId} is closed`);
    const agent = this.agent(session.agentId);
    const message = this.addMessage({ sessionId: session.sessionId, from: 'agent', kind: 'agent', text: content, userId: agent.id });
    this.sessionCallback(session, 'msg', {
      sessionId: session.sessionId,
      agentId: agent.id,
      agentName: agent.name,
      agentHeadimg: agent.icon ?? '',
      agentComment: agent.comments ?? '',
      time: message.time,
      content,
      clientId: session.clientId,
      type: 'text',
    });
    return message;
  }

  /** The agent asks for a rating. */
  pushRating(session: MockSession): void {
    if (!session.open) throw new Error(`session ${session.sessionId} is closed`);
    this.sessionCallback(session, 'pushRating', { sessionId: session.sessionId, agentId: session.agentId, clientId: session.clientId });
  }

  /** The agent ends the chat: a close callback. */
  agentClose(session: MockSession): void {
    if (!session.open) throw new Error(`session ${session.sessionId} is closed`);
    this.closeSession(session, 'agent');
    this.sessionCallback(session, 'close', { sessionId: session.sessionId, agentId: session.agentId, clientId: session.clientId, time: session.closedAt! });
  }

  /** 4001: no callback. */
  customerClose(session: MockSession): void {
    this.closeSession(session, 'customer');
  }

  private closeSession(session: MockSession, by: 'customer' | 'agent'): void {
    session.open = false;
    session.closedBy = by;
    session.closedAt = Date.now();
    this.timers.clearSession(session.sessionId);
    const request = this.requestById(session.requestId);
    if (session.transferring && request) {
      session.transferring = false;
      this.timers.clearRequest(request.requestId);
      this.leaveWaiting(request, RequestStatus.ACCEPTED);
    }
  }

  /** 2023: the chat waits again in a queue, keeping its session; the queue's script takes it from there. */
  transfer(session: MockSession, queue: MockQueue): { requestId: number; queueLength: number } {
    const request = this.requestById(session.requestId)!;
    if (session.transferring) return { requestId: request.requestId, queueLength: this.place(request) };
    if (queue.refuse) throw new TpiFailure(-31, `queue ${queue.id} cannot take the chat (scripted refuse: ${queue.refuse})`);
    this.timers.clearSession(session.sessionId);
    session.transferring = true;
    request.queueId = queue.id;
    request.requestStatus = RequestStatus.WAITING;
    delete request.endedAt;
    scheduleWaiting(this, request, queue);
    return { requestId: request.requestId, queueLength: this.place(request) };
  }

  private sendCreate(session: MockSession): void {
    const agent = this.agent(session.agentId);
    this.sessionCallback(session, 'create', {
      result: 1,
      message: 'success',
      agentId: agent.id,
      agentName: agent.name,
      agent: { id: agent.id, name: agent.name, alias: agent.alias ?? '', icon: agent.icon ?? '', commonts: agent.comments ?? '' },
      clientId: session.clientId,
      sessionId: session.sessionId,
      time: Date.now(),
    });
  }

  private sessionCallback<N extends CallbackName>(session: MockSession, name: N, body: CallbackBodies[N]): void {
    const channel = this.channel(session.channelId);
    this.sender.send(`s:${session.sessionId}`, session.callbackBase, name, body, channel.webhookSecrets ?? [], { sessionId: session.sessionId });
  }

  // ---- customers and tokens (later wire) ----

  customer(channel: MockChannel, clientId: string): MockCustomerRecord | undefined {
    return this.customers.find((c) => c.channelId === channel.id && c.clientId === clientId);
  }

  /** Types 1, 3, 4: a record for the customer and a fresh token. */
  logIn(channel: MockChannel, clientId: string, name: string): { clientId: string; token: string; expiresAt: number } {
    if (!this.customer(channel, clientId)) this.customers.push({ channelId: channel.id, clientId, name });
    const token = randomBytes(24).toString('base64url');
    const expiresAt = Date.now() + this.config.tokenTtlSeconds * 1000;
    this.tokens.set(token, { channelId: channel.id, clientId, expiresAt });
    return { clientId, token, expiresAt };
  }

  /** The token's customer, or -15 saying why not. */
  tokenCustomer(channel: MockChannel, token: unknown): Token {
    if (typeof token !== 'string' || token.length === 0) throw new TpiFailure(-15, 'token must be the string a log-in (type 1, 3 or 4) answered');
    const found = this.tokens.get(token);
    if (!found) throw new TpiFailure(-15, 'unknown or logged-out token');
    if (found.channelId !== channel.id) throw new TpiFailure(-15, "another channel's token");
    if (found.expiresAt <= Date.now()) throw new TpiFailure(-15, 'the token has expired');
    return found;
  }

  logOut(channel: MockChannel, token: string): void {
    this.tokenCustomer(channel, token);
    this.tokens.delete(token);
  }

  /** 5002 moves the customer's tokens with them. */
  renameCustomer(channel: MockChannel, from: string, to: string): void {
    for (const t of this.tokens.values()) if (t.channelId === channel.id && t.clientId === from) t.clientId = to;
  }
}

function serverAddrProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'is not an absolute URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must be http or https';
  if (url.username || url.password) return 'must not carry credentials';
  if (url.search || url.hash || value.includes('?') || value.includes('#')) return 'must have no query or fragment';
  return undefined;
}
