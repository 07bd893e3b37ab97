/**
 * One TPI call: the channel (by its key, its signature checked: auth.ts), the body (checked by
 * the protocol's schemas), the token of a later call, then the type's work on the MockPlatform.
 * Always an answer `{result, message}` (the HTTP layer sends it with status 200).
 */
import { ENDED_REASONS, LaterRequestType, RequestType, type ChatRequestBody, type TpiAnswer } from '@elitewebchat/protocol';
import { authenticate, type Headers } from './auth.js';
import type { MockChannel } from './config.js';
import type { MockPlatform } from './mock-platform.js';
import { IMAGE_TYPES, VIDEO_TYPES, VOICE_TYPES } from './file-kinds.js';
import { TpiFailure, checkCall, readCall, takeMessageId, type CallRecord } from './parse.js';
import type { MockMessage, MockSession } from './state.js';
import { fileAt } from './uploads.js';

const ok = (message = 'success'): TpiAnswer => ({ result: 1, message });
const IMAGE_URI = /^data:[^,;]*;base64,([A-Za-z0-9+/]+={0,2})$/;

export async function answerTpi(platform: MockPlatform, headers: Headers, raw: Buffer): Promise<TpiAnswer> {
  try {
    const channel = authenticate(platform.config.channels, platform.replays, headers, raw);
    const record = readCall(raw);
    return call(platform, channel, record);
  } catch (error) {
    if (error instanceof TpiFailure) return { result: error.result, message: error.message };
    return { result: -100, message: `internal error: ${error instanceof Error ? error.message : String(error)}` };
  }
}

function call(platform: MockPlatform, channel: MockChannel, record: CallRecord): TpiAnswer {
  const type = record.type;
  // A call with a token is a later call (type 2 takes its token as what it ends).
  const withToken = record.token !== undefined && type !== LaterRequestType.LOGOUT;
  let customer: string | undefined;
  if (withToken) {
    customer = platform.tokenCustomer(channel, record.token).clientId;
    delete record.token;
    const takesClientId = type === RequestType.CHAT_REQUEST || type === RequestType.MSG_REQUEST || type === RequestType.MSG_IMG_REQUEST || type === RequestType.PRE_MSG_REQUEST;
    if (takesClientId) {
      if (record.clientId === undefined) record.clientId = customer;
      else if (record.clientId !== customer) throw new TpiFailure(-15, `clientId ${JSON.stringify(record.clientId)} is not this token's customer (${customer}); leave clientId out of a call with a token`);
    }
    if (type === RequestType.CHAT_REQUEST && record.nickname === undefined) record.nickname = platform.customer(channel, customer)?.name;
  }
  const laterCall = withToken || !Object.values(RequestType).includes(type as RequestType);
  // A seed call's messageId is not taken: it is dropped as an unknown field, and the answer says so.
  if (laterCall) takeMessageId(record, withToken);
  const { ignored } = checkCall(record, withToken);
  if (customer !== undefined) checkOwnership(platform, channel, record, customer);
  const answer = dispatch(platform, channel, record, customer);
  if (withToken && type === RequestType.CHAT_REQUEST && (answer.queueLength ?? 0) > 0) {
    answer.positionInQueueMessage = platform.positionSentence(record.queueId as number, answer.queueLength!);
  }
  if (ignored.length > 0) answer.message += `; ignored unknown field(s): ${ignored.join(', ')}`;
  return answer;
}

/** A later call touches only its customer's requests and sessions. */
function checkOwnership(platform: MockPlatform, channel: MockChannel, record: CallRecord, clientId: string): void {
  if (typeof record.requestId === 'number') {
    const request = platform.request(channel, record.requestId);
    if (request && request.clientId !== clientId) throw new TpiFailure(-10, `no request ${record.requestId} of this token's customer`);
  }
  const sessionId = typeof record.sessionId === 'number' ? record.sessionId : typeof record.fromSessionId === 'number' ? record.fromSessionId : undefined;
  if (sessionId !== undefined) {
    const session = platform.session(channel, sessionId);
    if (session && session.clientId !== clientId) throw new TpiFailure(-11, `no session ${sessionId} of this token's customer`);
  }
}

const stored = (outcome: 'stored' | 'duplicate', idName: 'msgId' | 'messageId'): TpiAnswer => ok(outcome === 'duplicate' ? `success; duplicate ${idName}, already stored` : 'success');

/** A session of the channel that takes a customer's message: open, and (when given) spoken for by clientId. */
function writable(platform: MockPlatform, channel: MockChannel, sessionId: number, clientId?: string): MockSession {
  const session = platform.openSession(channel, sessionId);
  if (clientId !== undefined && clientId !== session.clientId) throw new TpiFailure(-9, `${clientId} is not the customer of session ${sessionId} (${session.clientId})`);
  return session;
}

// The body was checked against its type's schema: the casts below read what the schema guarantees.
function dispatch(platform: MockPlatform, channel: MockChannel, b: CallRecord, customer: string | undefined): TpiAnswer {
  const str = (field: string) => b[field] as string;
  const opt = (field: string) => b[field] as string | undefined;
  const num = (field: string) => b[field] as number;
  switch (b.type) {
    case RequestType.CHAT_REQUEST:
      return { ...ok(), ...platform.chatRequest(channel, b as unknown as ChatRequestBody) };
    case RequestType.CHAT_REQUEST_STATE_UPDATE: {
      const request = platform.request(channel, num('requestId'));
      if (!request) throw new TpiFailure(-10, `no request ${num('requestId')}`);
      const reason = request.endNote ? `ended: ${request.endNote}` : ENDED_REASONS[request.requestStatus];
      return { ...ok(reason ? `success; ${reason}` : 'success'), requestStatus: request.requestStatus, queueLength: platform.place(request) };
    }
    case RequestType.CANCEL_CHAT_REQUEST:
      return ok(platform.cancel(channel, num('requestId')));
    case RequestType.PRE_MSG_REQUEST: {
      if (customer === undefined) {
        platform.preMessage(channel, num('requestId'), str('text'));
        return ok();
      }
      // With a token, 2005 is a file.
      const session = writable(platform, channel, num('sessionId'));
      fileAt(platform, session, str('fileUrl'), -13);
      return stored(platform.customerMessage(session, 'file', `[file] ${str('name')}`, { msgId: opt('msgId'), extra: opt('extra') }), 'messageId');
    }
    case LaterRequestType.PRE_MSG:
      platform.preMessage(channel, num('requestId'), str('text'));
      return ok();
    case RequestType.MSG_REQUEST: {
      const session = writable(platform, channel, num('sessionId'), str('clientId'));
      return stored(platform.customerMessage(session, 'text', str('text'), { msgId: opt('msgId'), extra: opt('extra') }), 'msgId');
    }
    case RequestType.MSG_IMG_REQUEST: {
      const data = opt('imgData');
      const address = opt('imageUri');
      if (data !== undefined) checkImage(data);
      else if (address === undefined) throw new TpiFailure(-8, 'give imgData (a data URI) or imageUri');
      const session = writable(platform, channel, num('sessionId'), customer === undefined ? str('clientId') : undefined);
      const upload = data === undefined && address !== undefined ? fileAt(platform, session, address, -22, { types: IMAGE_TYPES, what: 'an image' }) : undefined;
      thumbnail(platform, session, b, -22);
      const name = opt('imgName') || upload?.fileName || 'image';
      return stored(platform.customerMessage(session, 'image', `[image] ${name}`, { msgId: opt('msgId'), extra: opt('extra'), replyText: `[image] ${name}` }), 'msgId');
    }
    case LaterRequestType.VOICE: {
      const session = writable(platform, channel, num('sessionId'));
      const address = opt('voiceUri');
      if (opt('voiceData') === undefined && address === undefined) throw new TpiFailure(-23, 'give voiceData or voiceUri');
      if (opt('voiceData') === undefined && address !== undefined) fileAt(platform, session, address, -23, { types: VOICE_TYPES, what: 'a voice message' });
      return stored(platform.customerMessage(session, 'voice', `[voice ${num('voiceLength')} s]`, { msgId: opt('msgId'), extra: opt('extra') }), 'messageId');
    }
    case LaterRequestType.LOCATION: {
      const session = writable(platform, channel, num('sessionId'));
      thumbnail(platform, session, b, -13);
      const text = `[location] ${opt('poi') ?? ''} (${num('latitude')}, ${num('longitude')})`;
      return stored(platform.customerMessage(session, 'location', text, { msgId: opt('msgId'), extra: opt('extra') }), 'messageId');
    }
    case LaterRequestType.VIDEO: {
      const session = writable(platform, channel, num('sessionId'));
      const upload = fileAt(platform, session, str('sightUri'), -13, { types: VIDEO_TYPES, what: 'a video' });
      thumbnail(platform, session, b, -13);
      const length = b.sightLength === undefined ? '' : ` ${num('sightLength')} s`;
      return stored(platform.customerMessage(session, 'video', `[video${length}] ${opt('sightName') ?? upload?.fileName ?? 'video'}`, { msgId: opt('msgId'), extra: opt('extra') }), 'messageId');
    }
    case RequestType.CLOSE_REQUEST:
      platform.customerClose(platform.openSession(channel, num('sessionId')));
      return ok();
    case RequestType.RATING_REQUEST: {
      const session = platform.session(channel, num('sessionId'));
      if (!session) throw new TpiFailure(-11, `no session ${num('sessionId')}`);
      session.rating = { ratingId: num('ratingId'), ratingComments: opt('ratingComments') ?? '', ...(b.ratingExtends ? { ratingExtends: b.ratingExtends as Record<string, unknown> } : {}) };
      return ok();
    }
    case RequestType.CLIENT_CHANGE: {
      const session = platform.openSession(channel, num('sessionId'));
      const to = str('clientId');
      const other = platform.sessions.find((s) => s.channelId === channel.id && s.clientId === to && s.open && s !== session);
      if (other) throw new TpiFailure(-6, `${to} already has open session ${other.sessionId}`);
      if (to !== session.clientId) {
        platform.renameCustomer(channel, session.clientId, to);
        session.clientId = to;
      }
      return { ...ok(), clientId: to, sessionId: session.sessionId };
    }
    case LaterRequestType.LOGON: {
      const name = str('loginName');
      const configured = platform.config.customers.find((c) => c.loginName === name);
      const registered = platform.customer(channel, name);
      const password = configured ? (configured.password ?? '') : registered ? (registered.password ?? '') : undefined;
      if (password === undefined || password !== str('password')) throw new TpiFailure(-20, 'unknown login name or wrong password');
      return { ...ok(), ...platform.logIn(channel, name, configured?.name ?? registered?.name ?? name) };
    }
    case LaterRequestType.LOGOUT:
      platform.logOut(channel, str('token'));
      return ok();
    case LaterRequestType.LOGON_OR_REGISTER: {
      const name = str('loginName');
      const answer = platform.logIn(channel, name, str('name'));
      platform.customer(channel, name)!.name = str('name');
      return { ...ok(), ...answer };
    }
    case LaterRequestType.VISITOR_LOGON: {
      const id = str('visitorId').toLowerCase();
      return { ...ok(), ...platform.logIn(channel, id, id) };
    }
    case LaterRequestType.AGENT_LOGON:
      throw new TpiFailure(-19, 'agents work in the console or through an agent bridge, not through the TPI');
    case LaterRequestType.PREVIEW:
    case LaterRequestType.TYPING:
      platform.openSession(channel, num('sessionId'));
      return ok();
    case LaterRequestType.TRANSFER_TO_HUMAN: {
      const session = platform.openSession(channel, num('sessionId'));
      let queueId = session.queueId;
      const info = opt('transferInfo');
      if (info !== undefined) {
        let parsed: unknown;
        try {
          parsed = JSON.parse(info);
        } catch {
          throw new TpiFailure(-31, 'transferInfo is not JSON');
        }
        const asked = (parsed as { queueId?: unknown } | null)?.queueId;
        if (asked !== undefined) {
          if (typeof asked !== 'number') throw new TpiFailure(-31, 'transferInfo.queueId must be a number');
          queueId = asked;
        }
      }
      const queue = platform.queue(queueId);
      if (!queue) throw new TpiFailure(-31, `no queue ${queueId}`);
      const moved = platform.transfer(session, queue);
      return { ...ok(), ...moved, ...(customer !== undefined ? { positionInQueueMessage: platform.positionSentence(queue.id, moved.queueLength) } : {}) };
    }
    case LaterRequestType.CLIENT_NOTICE: {
      const session = platform.session(channel, num('sessionId'));
      if (!session) throw new TpiFailure(-11, `no session ${num('sessionId')}`);
      const noticeType = num('noticeType');
      if (noticeType === 6) {
        const target = platform.messages.find((m) => m.sessionId === session.sessionId && m.from === 'customer' && m.msgId === opt('notice') && !m.revoked);
        if (!target) throw new TpiFailure(-33, `session ${session.sessionId} has no message ${JSON.stringify(opt('notice'))} of the customer's not yet taken back`);
        target.revoked = true;
      } else {
        session.notices.push({ noticeType, ...(opt('notice') !== undefined ? { notice: str('notice') } : {}), time: Date.now() });
      }
      return ok();
    }
    case LaterRequestType.HISTORY:
      return { ...ok(), hisMessages: history(platform, channel, b, customer) };
    case LaterRequestType.AVAILABLE_AGENTS: {
      const queue = platform.queue(num('queueId'));
      if (!queue) throw new TpiFailure(-7, `no queue ${num('queueId')}`);
      if (queue.refuse) return { ...ok(), agents: [] };
      const agent = platform.agentOf(queue);
      const activeSessions = platform.sessions.filter((s) => s.open && s.agentId === agent.id).length;
      return { ...ok(), agents: [{ id: agent.id, activeSessions, maxActiveSessions: agent.maxChats ?? 5 }] };
    }
    default:
      throw new TpiFailure(-8, `type ${b.type} is not answered by the mock`);
  }
}

function history(platform: MockPlatform, channel: MockChannel, b: CallRecord, customer: string | undefined): NonNullable<TpiAnswer['hisMessages']> {
  let messages: MockMessage[];
  if (typeof b.fromSessionId === 'number') {
    const session = platform.session(channel, b.fromSessionId);
    if (!session) throw new TpiFailure(-11, `no session ${b.fromSessionId}`);
    messages = platform.messages.filter((m) => m.sessionId === session.sessionId);
  } else {
    if (customer === undefined) throw new TpiFailure(-15, "5003 without fromSessionId reads the token's customer's messages: send a token");
    const sessions = new Set(platform.sessions.filter((s) => s.channelId === channel.id && s.clientId === customer).map((s) => s.sessionId));
    const requests = new Set(platform.requests.filter((r) => r.channelId === channel.id && r.clientId === customer).map((r) => r.requestId));
    messages = platform.messages.filter((m) => sessions.has(m.sessionId) || (m.requestId !== undefined && requests.has(m.requestId)));
  }
  const before = typeof b.fromMessageId === 'number' ? b.fromMessageId : Number.POSITIVE_INFINITY;
  const max = typeof b.maxCount === 'number' ? b.maxCount : 10;
  return messages
    .filter((m) => m.id < before)
    .sort((x, y) => y.id - x.id)
    .slice(0, max)
    .map((m) => {
      const agent = m.from === 'agent' ? platform.agent(m.userId) : undefined;
      const request = m.requestId === undefined ? undefined : platform.requestById(m.requestId);
      return {
        id: m.id,
        sessionId: m.sessionId,
        postTime: m.time,
        text: m.revoked ? '' : m.text,
        messageType: 0,
        revokeFlag: m.revoked ? 1 : 0,
        userId: m.userId,
        userName: agent ? agent.name : (request?.nickname ?? m.userId),
        userType: agent ? 2 : 1,
        icon: agent?.icon ?? '',
      };
    });
}

/** A thumbUri names an image: an upload of the session's customer, or an http(s) address. */
function thumbnail(platform: MockPlatform, session: MockSession, b: CallRecord, failed: number): void {
  if (typeof b.thumbUri === 'string') fileAt(platform, session, b.thumbUri, failed, { types: IMAGE_TYPES, what: 'a thumbnail' });
}

/** A seed image: a base64 data URI of PNG, JPEG, GIF or WebP bytes (-8 otherwise). */
function checkImage(data: string): void {
  const match = IMAGE_URI.exec(data);
  if (!match) throw new TpiFailure(-8, 'imgData must be a data URI: data:<type>;base64,<data>');
  const bytes = Buffer.from(match[1]!, 'base64');
  const isPng = bytes.subarray(0, 4).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
  const isJpeg = bytes.subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff]));
  const isGif = bytes.subarray(0, 4).toString('latin1') === 'GIF8';
  const isWebp = bytes.subarray(0, 4).toString('latin1') === 'RIFF' && bytes.subarray(8, 12).toString('latin1') === 'WEBP';
  if (!isPng && !isJpeg && !isGif && !isWebp) throw new TpiFailure(-8, 'imgData is not a PNG, JPEG, GIF or WebP image');
}
