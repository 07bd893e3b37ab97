/**
 * The visitor API (/api/v1/webchat/{channelId}/*) over fetch. The token lives in localStorage
 * per channel; a call refused with 401 gets a new visitor (the old token is sent along, so a
 * still-valid one brings the same visitor back) and is tried once more.
 */
import type {
  ConversationAnswer,
  ConversationView,
  IdentityBody,
  LeftMessageAnswer,
  LeftMessageBody,
  StartChatBody,
  VisitorAnswer,
  VisitorBody,
  WebChannelView,
  WebImageBody,
  WebMessagesAnswer,
  WebRatingBody,
  WebSendBody,
  WebSentAnswer,
} from '@elitewebchat/protocol/browser';
import { keys, type KeyValue } from './storage';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** Worth trying again later: the network, the server's bad moment, a rate limit. */
  get transient(): boolean {
    return this.status === 0 || this.status === 429 || this.status >= 500;
  }
}

async function errorOf(response: Response): Promise<ApiError> {
  let code = `HTTP_${response.status}`;
  let message = response.statusText || `HTTP ${response.status}`;
  try {
    const body = (await response.json()) as { error?: { code?: unknown; message?: unknown } };
    if (typeof body.error?.message === 'string') message = body.error.message;
    if (typeof body.error?.code === 'string') code = body.error.code;
  } catch {
    // Not JSON (a proxy's page): keep the status line.
  }
  return new ApiError(response.status, code, message);
}

export interface ApiOptions {
  channelId: string;
  storage: KeyValue;
  fetch?: typeof fetch;
  /** The signed identity the embedding site passed, if any. */
  identity?: () => IdentityBody | undefined;
  /** A call found that this browser is now another visitor (a new token). */
  onVisitorChanged?: (visitor: VisitorAnswer) => void;
}

export class WebChatApi {
  private readonly base: string;
  private readonly doFetch: typeof fetch;
  private renewing: Promise<VisitorAnswer> | null = null;
  visitor: VisitorAnswer | null = null;

  constructor(private readonly opts: ApiOptions) {
    this.base = `/api/v1/webchat/${encodeURIComponent(opts.channelId)}`;
    this.doFetch = opts.fetch ?? ((input, init) => fetch(input, init));
  }

  get token(): string | null {
    return this.visitor?.token ?? this.opts.storage.get(keys.token(this.opts.channelId));
  }

  private async raw(method: string, path: string, body: unknown, auth: boolean): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json' };
    const token = this.token;
    if (auth && token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await this.doFetch(this.base + path, {
        method,
        headers,
        body: body === undefined ? null : JSON.stringify(body),
        credentials: 'omit',
        cache: 'no-store',
      });
    } catch {
      throw new ApiError(0, 'NETWORK', 'network error');
    }
    if (!response.ok) throw await errorOf(response);
    return response;
  }

  /** A call with the visitor's token; a refused token is renewed once. */
  private async authed(method: string, path: string, body?: unknown): Promise<Response> {
    if (!this.token) await this.renew();
    try {
      return await this.raw(method, path, body, true);
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 401) throw error;
      await this.renew();
      return this.raw(method, path, body, true);
    }
  }

  private async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    return (await (await this.authed(method, path, body)).json()) as T;
  }

  /** The visitor this browser is: the same one for a token still valid, else a new one. */
  visit(): Promise<VisitorAnswer> {
    return this.renew();
  }

  private renew(): Promise<VisitorAnswer> {
    this.renewing ??= (async () => {
      const key = keys.token(this.opts.channelId);
      const held = this.opts.storage.get(key);
      const body: VisitorBody = {};
      if (held) body.token = held;
      const identity = this.opts.identity?.();
      if (identity) body.identity = identity;
      const answer = (await (await this.raw('POST', '/visitor', body, false)).json()) as VisitorAnswer;
      const before = this.visitor?.visitorId;
      this.visitor = answer;
      this.opts.storage.set(key, answer.token);
      if (before !== undefined && before !== answer.visitorId) this.opts.onVisitorChanged?.(answer);
      return answer;
    })().finally(() => {
      this.renewing = null;
    });
    return this.renewing;
  }

  /** After the socket was refused: a new token if this one is no longer good. */
  renewToken(): Promise<VisitorAnswer> {
    return this.renew();
  }

  async channel(): Promise<WebChannelView> {
    return (await (await this.raw('GET', '/channel', undefined, false)).json()) as WebChannelView;
  }

  conversation = () => this.json<ConversationAnswer>('GET', '/conversation');
  messagesAfter = (after: number, limit = 200) => this.json<WebMessagesAnswer>('GET', `/messages?after=${after}&limit=${limit}`);
  messagesBefore = (before: number, limit = 100) => this.json<WebMessagesAnswer>('GET', `/messages?before=${before}&limit=${limit}`);
  start = (body: StartChatBody) => this.json<ConversationView>('POST', '/requests', body);
  cancel = () => this.json<ConversationView>('POST', '/cancel', {});
  send = (body: WebSendBody) => this.json<WebSentAnswer>('POST', '/messages', body);
  image = (body: WebImageBody) => this.json<WebSentAnswer>('POST', '/images', body);
  close = () => this.json<ConversationView>('POST', '/close', {});
  rate = (body: WebRatingBody) => this.json<ConversationView>('POST', '/rating', body);
  leaveMessage = (body: LeftMessageBody) => this.json<LeftMessageAnswer>('POST', '/left-messages', body);

  /** A protected image (its url needs the token: an <img src> cannot carry it). */
  async blob(url: string): Promise<Blob> {
    // Only this channel's own image addresses get the token.
    const path = url.startsWith(this.base + '/') ? url.slice(this.base.length) : null;
    if (path === null || !/^\/images\/\d+$/.test(path)) throw new ApiError(400, 'BAD_IMAGE_URL', 'not an image of this chat');
    return (await this.authed('GET', path)).blob();
  }

  async transcript(lang: string): Promise<Blob> {
    return (await this.authed('GET', `/transcript?lang=${encodeURIComponent(lang)}`)).blob();
  }
}
