/**
 * A typed client of the TPI (`POST /EliteWebChat/tpi`), seed and later wire alike. Each method
 * sends one call and resolves with the answer when `result` is 1; any other result rejects with
 * a TpiError carrying the code and the platform's message. Calls are sent again only when that
 * is safe for their type (wire.ts, CALLS): messages carry an id the platform stores once.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { ResultCode, type UploadAnswer } from '@elitewebchat/protocol';
import { TpiError, TpiTransportError } from './errors.js';
import { CALLS, idField, type CallName, type Calls, type Repeat, type WithToken } from './wire.js';

export interface TpiClientOptions {
  /** The platform's address, e.g. `https://chat.example.com` (the TPI path is added). */
  url: string;
  /** `/EliteWebChat/tpi` (default), or `/webchat/tpi`. */
  path?: string;
  /** The channel's key (`X-Webchat-Key`). */
  key?: string;
  /** The channel's id (`X-Webchat-Channel`): needed only among several keyless channels. */
  channel?: string;
  /** The channel's `signingSecret`: every call (and every attempt of it) is signed with it. */
  signingSecret?: string;
  /** How long one attempt may take, answer included. Default 10 s. */
  timeoutMs?: number;
  /** How many times a call may be sent again (when that is safe). Default 3. */
  retries?: number;
  /** The first wait before sending again; it doubles each time, ±20 %. Default 250 ms. */
  retryDelayMs?: number;
  /** Makes the ids of messages; default: random UUIDs. */
  newMessageId?: () => string;
}

type Answer = Record<string, unknown> & { result: number; message: string };

/** An attempt that got no answer, and whether the platform can have seen it. */
class NoAnswer extends Error {
  constructor(
    readonly reached: boolean,
    cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** True when the connection was refused before anything was sent: the platform never saw the call. */
function neverReached(error: unknown): boolean {
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause;
  return cause?.code === 'ECONNREFUSED';
}

/**
 * One channel's calls to one platform. Methods are named for what they do (`requestChat` is
 * 1000, `sendText` 2001, …); each resolves with the answer when `result` is 1 and rejects with a
 * TpiError otherwise, or a TpiTransportError when no answer came.
 */
export class TpiClient {
  private readonly endpoint: string;
  private readonly uploadEndpoint: string;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly retryDelayMs: number;
  private readonly newMessageId: () => string;

  constructor(private readonly options: TpiClientOptions) {
    const base = options.url.replace(/\/+$/, '');
    const path = options.path ?? '/EliteWebChat/tpi';
    this.endpoint = `${base}${path}`;
    this.uploadEndpoint = `${base}${path}u`;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.retries = options.retries ?? 3;
    this.retryDelayMs = options.retryDelayMs ?? 250;
    this.newMessageId = options.newMessageId ?? randomUUID;
  }

  /** 1000: ask for an agent. Never sent twice blindly: a second one would answer -1 for the first. */
  requestChat = this.method('requestChat');
  /** 1001: where a request stands. */
  pollRequest = this.method('pollRequest');
  /** 1002: withdraw a waiting request. */
  cancelRequest = this.method('cancelRequest');
  /** 2005 of the seed: a message typed while waiting (with a token use preMessage, 2020). */
  seedPreMessage = this.method('seedPreMessage');
  /** 2001: the customer's text. Carries a msgId (messageId with a token) so that a retry is stored once. */
  sendText = this.method('sendText');
  /** 2002: the customer's image (a data URI, or with a token an imageUri). */
  sendImage = this.method('sendImage');
  /** 4001: the customer ends the chat. */
  close = this.method('close');
  /** 5001: the customer's rating. */
  rate = this.method('rate');
  /** 5002: the customer's id changes. */
  changeClient = this.method('changeClient');
  /** 1: log a customer in by name and password; answers a token. */
  logon = this.method('logon');
  /** 2: end a token. */
  logout = this.method('logout');
  /** 3: log a customer in, registering them when new. */
  logonOrRegister = this.method('logonOrRegister');
  /** 4: log an anonymous visitor in by a GUID. */
  visitorLogon = this.method('visitorLogon');
  /** 5: always refused by this platform (-19): agents use the console or an agent bridge. */
  agentLogon = this.method('agentLogon');
  /** 2003: a voice message. */
  sendVoice = this.method('sendVoice');
  /** 2004: a location. */
  sendLocation = this.method('sendLocation');
  /** 2005 with a token: a file (its fileUrl from upload()). */
  sendFile = this.method('sendFile');
  /** 2006: a short video. */
  sendVideo = this.method('sendVideo');
  /** 2020: a message typed while waiting (later wire). */
  preMessage = this.method('preMessage');
  /** 2021: what the customer is typing, not yet sent. */
  preview = this.method('preview');
  /** 2022: the customer is typing. */
  typing = this.method('typing');
  /** 2023: the customer asks for a person. */
  transferToHuman = this.method('transferToHuman');
  /** 2024: a notice from the customer's side (6 takes a message back). */
  notice = this.method('notice');
  /** 5003: the customer's messages, newest first. */
  history = this.method('history');
  /** 5004: who could answer in a queue now. */
  availableAgents = this.method('availableAgents');

  /**
   * Uploads a file for a later call (`tpiu`): answers the `url` to send as imageUri, voiceUri,
   * fileUrl or sightUri. Sent again only when the platform never got it.
   */
  async upload(token: string, file: { name: string; bytes: Uint8Array; type?: string }): Promise<UploadAnswer> {
    const form = new FormData();
    form.set('token', token);
    form.set('fileToUpload', new Blob([file.bytes], { type: file.type ?? 'application/octet-stream' }), file.name);
    // The exact bytes, so that a signature covers what is sent.
    const encoded = new Response(form);
    const bytes = Buffer.from(await encoded.arrayBuffer());
    const contentType = encoded.headers.get('content-type') ?? 'multipart/form-data';
    const answer = await this.send(this.uploadEndpoint, 0, bytes, contentType, 'never');
    if (answer.result !== ResultCode.SUCCESS) throw new TpiError(0, answer);
    return answer as UploadAnswer;
  }

  /**
   * Sends any body as it is and resolves with the answer whatever its `result` (never sent
   * again unless it never arrived): for what the typed methods do not cover.
   */
  async raw(body: Record<string, unknown>): Promise<Answer> {
    const type = typeof body.type === 'number' ? body.type : 0;
    return this.send(this.endpoint, type, Buffer.from(JSON.stringify(body)), 'application/json; charset=utf-8', 'never');
  }

  private method<N extends CallName>(name: N): (body: Calls[N]['body']) => Promise<Calls[N]['answer']> {
    return async (body) => {
      const { type, repeat } = CALLS[name];
      const full: Record<string, unknown> = { type, ...body };
      const field = idField(name, body as WithToken);
      if (field && full[field] === undefined && full.msgId === undefined && full.messageId === undefined) full[field] = this.newMessageId();
      const answer = await this.send(this.endpoint, type, Buffer.from(JSON.stringify(full)), 'application/json; charset=utf-8', repeat);
      if (answer.result !== ResultCode.SUCCESS) throw new TpiError(type, answer);
      return answer as Calls[N]['answer'];
    };
  }

  /** Sends until answered, as often as `repeat` and the outcome allow. */
  private async send(url: string, type: number, body: Buffer, contentType: string, repeat: Repeat): Promise<Answer> {
    for (let attempt = 1; ; attempt++) {
      let again: boolean;
      try {
        const answer = await this.attempt(url, body, contentType);
        // -100: nothing was changed; a rate limit: refused before anything was done.
        const refusedUndone = answer.result === ResultCode.INTERNAL_ERROR || (answer.result === ResultCode.REQUEST_ERROR && answer.message.startsWith('rate limit'));
        if (!refusedUndone || attempt > this.retries) return answer;
        again = true;
      } catch (error) {
        if (!(error instanceof NoAnswer)) throw error;
        again = attempt <= this.retries && (!error.reached || repeat !== 'never');
        if (!again) throw new TpiTransportError(type, attempt, error.reached ? undefined : false, error.cause);
      }
      if (again) {
        let delay = this.retryDelayMs * 2 ** (attempt - 1) * (0.8 + Math.random() * 0.4);
        // A signature covers the timestamp (whole seconds) and the body: the same body again within
        // the same second would be the same signature, refused as a replay. Wait for the next second.
        if (this.options.signingSecret) delay = Math.max(delay, 1000 - (Date.now() % 1000) + 5);
        await sleep(delay);
      }
    }
  }

  private async attempt(url: string, body: Buffer, contentType: string): Promise<Answer> {
    const headers: Record<string, string> = { 'content-type': contentType };
    if (this.options.key) headers['x-webchat-key'] = this.options.key;
    if (this.options.channel) headers['x-webchat-channel'] = this.options.channel;
    if (this.options.signingSecret) {
      const timestamp = Math.floor(Date.now() / 1000);
      const hmac = createHmac('sha256', this.options.signingSecret).update(`${timestamp}.`).update(body).digest('hex');
      headers['x-webchat-timestamp'] = String(timestamp);
      headers['x-webchat-signature'] = `sha256=${hmac}`;
    }
    let text: string;
    try {
      const response = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(this.timeoutMs) });
      text = await response.text();
    } catch (error) {
      throw new NoAnswer(!neverReached(error), error);
    }
    let answer: unknown;
    try {
      answer = JSON.parse(text);
    } catch {
      throw new NoAnswer(true, new Error(`the answer is not JSON: ${text.slice(0, 200)}`));
    }
    if (typeof answer !== 'object' || answer === null || typeof (answer as Answer).result !== 'number') {
      throw new NoAnswer(true, new Error(`the answer has no numeric result: ${text.slice(0, 200)}`));
    }
    const a = answer as Answer;
    return { ...a, message: typeof a.message === 'string' ? a.message : '' };
  }
}
