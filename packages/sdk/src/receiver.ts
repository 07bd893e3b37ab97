/**
 * Receives the platform's callbacks (`POST {base}/ThirdPartService/{name}`): verifies their
 * Standard Webhooks signature (any of the channel's secrets, so a rotation needs no downtime),
 * drops a repeat of a callback already handled (by `webhook-id`), checks the body against the
 * protocol's schema and hands a typed event to the integrator's code. It answers
 * `{"result":1}` only once that code has finished; when it throws, the answer is a failure and
 * the platform sends the callback again later, with the same `webhook-id`.
 */
import type http from 'node:http';
import {
  CALLBACK_BODIES,
  type AgentsUpdateCallback,
  type CallbackName,
  type CloseCallback,
  type CreateCallback,
  type MsgCallback,
  type MsgNoticeCallback,
  type PushRatingCallback,
  type UpdateRequestStatusCallback,
} from '@elitewebchat/protocol';
import { Webhook } from 'standardwebhooks';
import { Compile } from 'typebox/compile';
import { readBody } from './read-body.js';

/** What came with a callback besides its body. */
export interface CallbackMeta {
  /** `webhook-id`: the same on every attempt of one callback. */
  id: string;
  /** `webhook-timestamp`: when this attempt was sent, in Unix seconds. */
  timestamp: number;
  /** The callback's name: create, msg, pushRating, close, updateRequestStatus, agentsUpdate. */
  name: CallbackName;
}

/** The integrator's code, one function per callback; a missing one takes the callback and does nothing. */
export interface CallbackHandlers {
  create?(event: CreateCallback, meta: CallbackMeta): unknown;
  /** An agent's message (`type` "text" or absent). */
  msg?(event: MsgCallback, meta: CallbackMeta): unknown;
  /** A `msg` with `type` "notice" (later wire, e.g. the agent is typing: noticeType 5). */
  notice?(event: MsgNoticeCallback, meta: CallbackMeta): unknown;
  pushRating?(event: PushRatingCallback, meta: CallbackMeta): unknown;
  close?(event: CloseCallback, meta: CallbackMeta): unknown;
  updateRequestStatus?(event: UpdateRequestStatusCallback, meta: CallbackMeta): unknown;
  agentsUpdate?(event: AgentsUpdateCallback, meta: CallbackMeta): unknown;
}

/** Where the ids of handled callbacks are kept; the default keeps the latest 100,000 in memory. */
export interface SeenIds {
  has(id: string): boolean | Promise<boolean>;
  add(id: string): void | Promise<void>;
}

export interface ReceiverOptions {
  /** The channel's `webhookSecrets` (`whsec_…`); both during a rotation. */
  secrets?: readonly string[];
  /** Take unsigned callbacks: only for a channel without `webhookSecrets`, on a network you trust. */
  unsigned?: boolean;
  handlers: CallbackHandlers;
  seen?: SeenIds;
  /** Largest body read, in bytes. Default 1 MiB. */
  maxBodyBytes?: number;
  /** Told of every callback refused or failed, with the answer given; default: nothing. */
  onProblem?(problem: { name: string; id?: string; status: number; message: string; error?: unknown }): void;
}

/** What the receiver answers: an HTTP status and the TPI's `{result, message}`. */
export interface ReceiverAnswer {
  status: number;
  body: { result: number; message: string };
}

type Headers = Readonly<Record<string, string | string[] | undefined>>;

const validators = new Map(Object.entries(CALLBACK_BODIES).map(([name, schema]) => [name, Compile(schema)]));
const isName = (name: string): name is CallbackName => validators.has(name);

/** Keeps the latest `limit` ids, oldest forgotten first. */
export class MemorySeenIds implements SeenIds {
  private readonly ids = new Set<string>();
  constructor(private readonly limit = 100_000) {}
  has(id: string): boolean {
    return this.ids.has(id);
  }
  add(id: string): void {
    this.ids.add(id);
    if (this.ids.size > this.limit) this.ids.delete(this.ids.values().next().value as string);
  }
}

/**
 * The platform's callbacks to one channel: give it the channel's webhook secrets and your
 * handlers, then mount `node`, `express` or `fastify`, or call `receive` from any server.
 */
export class CallbackReceiver {
  private readonly webhooks: Webhook[];
  private readonly seen: SeenIds;
  /** Callbacks being handled now, by id: a repeat that arrives meanwhile waits for the first. */
  private readonly inFlight = new Map<string, Promise<ReceiverAnswer>>();

  constructor(private readonly options: ReceiverOptions) {
    const secrets = options.secrets ?? [];
    if (secrets.length === 0 && !options.unsigned) throw new Error('give the channel\'s webhookSecrets, or unsigned: true for a channel without them');
    this.webhooks = secrets.map((s) => new Webhook(s));
    this.seen = options.seen ?? new MemorySeenIds();
  }

  /**
   * Handles one callback, whatever the server: its name (the last segment of the path), headers
   * and exact body bytes.
   */
  async receive(name: string, headers: Headers, body: string | Uint8Array): Promise<ReceiverAnswer> {
    const text = typeof body === 'string' ? body : Buffer.from(body).toString('utf8');
    const header = (key: string) => {
      const v = headers[key] ?? headers[key.toLowerCase()];
      return Array.isArray(v) ? v[0] : v;
    };
    const id = header('webhook-id');
    const refuse = (status: number, message: string, error?: unknown): ReceiverAnswer => {
      this.options.onProblem?.({ name, ...(id ? { id } : {}), status, message, ...(error === undefined ? {} : { error }) });
      return { status, body: { result: 0, message } };
    };
    if (!isName(name)) return refuse(404, `no such callback: ${name}`);
    if (!id) return refuse(400, 'no webhook-id header');
    if (this.webhooks.length > 0) {
      const verified = this.webhooks.some((w) => {
        try {
          w.verify(text, { 'webhook-id': id, 'webhook-timestamp': header('webhook-timestamp') ?? '', 'webhook-signature': header('webhook-signature') ?? '' }, { jsonParse: false });
          return true;
        } catch {
          return false;
        }
      });
      if (!verified) return refuse(401, 'signature not valid for any secret, or timestamp more than 5 minutes off');
    }
    let event: unknown;
    try {
      event = JSON.parse(text);
    } catch {
      return refuse(400, 'body is not JSON');
    }
    const validator = validators.get(name)!;
    if (!validator.Check(event)) {
      const errors = validator.Errors(event).slice(0, 3).map((e) => `${e.instancePath || '(body)'} ${e.message}`);
      return refuse(400, `body does not match the ${name} callback: ${errors.join('; ')}`);
    }
    const running = this.inFlight.get(id);
    if (running) return running;
    const done = this.deliver(name, id, Number(header('webhook-timestamp')), event, refuse);
    this.inFlight.set(id, done);
    try {
      return await done;
    } finally {
      this.inFlight.delete(id);
    }
  }

  private async deliver(name: CallbackName, id: string, timestamp: number, event: unknown, refuse: (status: number, message: string, error?: unknown) => ReceiverAnswer): Promise<ReceiverAnswer> {
    let handled: boolean;
    try {
      handled = await this.seen.has(id);
    } catch (error) {
      // Nothing was handled: a failure, so that the platform sends it again.
      return refuse(500, `could not check whether ${name} ${id} was handled before: ${messageOf(error)}`, error);
    }
    if (handled) return { status: 200, body: { result: 1, message: 'success; already handled' } };
    const meta: CallbackMeta = { id, timestamp, name };
    const h = this.options.handlers;
    try {
      switch (name) {
        case 'create':
          await h.create?.(event as CreateCallback, meta);
          break;
        case 'msg':
          if ((event as MsgNoticeCallback).type === 'notice') await h.notice?.(event as MsgNoticeCallback, meta);
          else await h.msg?.(event as MsgCallback, meta);
          break;
        case 'pushRating':
          await h.pushRating?.(event as PushRatingCallback, meta);
          break;
        case 'close':
          await h.close?.(event as CloseCallback, meta);
          break;
        case 'updateRequestStatus':
          await h.updateRequestStatus?.(event as UpdateRequestStatusCallback, meta);
          break;
        case 'agentsUpdate':
          await h.agentsUpdate?.(event as AgentsUpdateCallback, meta);
          break;
      }
    } catch (error) {
      return refuse(500, `the handler of ${name} failed: ${messageOf(error)}`, error);
    }
    try {
      await this.seen.add(id);
    } catch (error) {
      // Handled: a failure now would have it handled twice. A repeat may still be, and that is said.
      this.options.onProblem?.({ name, id, status: 200, message: `handled ${name} ${id}, but could not record its id: ${messageOf(error)}`, error });
    }
    return { status: 200, body: { result: 1, message: 'success' } };
  }

  /**
   * A `node:http` request handler: callbacks at any path ending in `/{name}`. Its promise never
   * rejects, so `http.createServer(receiver.node)` may ignore it.
   */
  readonly node = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    try {
      await this.answerNode(req, res);
    } catch (error) {
      // Only the integrator's onProblem can throw this far: a failure, so that it is sent again.
      if (res.headersSent) res.destroy();
      else {
        res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify({ result: 0, message: `the callback could not be handled: ${messageOf(error)}` }));
      }
    }
  };

  private async answerNode(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    let answer: ReceiverAnswer;
    if (req.method !== 'POST') answer = { status: 405, body: { result: 0, message: 'callbacks are POSTed' } };
    else {
      let body: Buffer | undefined;
      try {
        body = await readBody(req, this.options.maxBodyBytes ?? 1024 * 1024);
      } catch {
        // The sender went away in the middle of the body: nobody is left to answer. (Never a
        // rejection: a server that ignores this handler's promise would stop on it.)
        res.destroy();
        return;
      }
      answer = body === undefined ? { status: 413, body: { result: 0, message: 'body too large' } } : await this.receive(lastSegment(req.url ?? ''), req.headers, body);
    }
    res.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(answer.body));
  }

  /**
   * For Express: `app.post('/ThirdPartService/:name', receiver.express)`. Takes the raw body
   * from `express.raw()` when it ran before, else reads the request itself.
   */
  readonly express = (req: http.IncomingMessage & { body?: unknown }, res: http.ServerResponse): void => {
    const raw = req.body;
    const answer = (a: ReceiverAnswer) => {
      res.writeHead(a.status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(a.body));
    };
    if (raw instanceof Uint8Array || typeof raw === 'string') {
      void this.receive(lastSegment(req.url ?? ''), req.headers, raw).then(answer, (error: unknown) => answer({ status: 500, body: { result: 0, message: `the callback could not be handled: ${messageOf(error)}` } }));
    }
    else if (req.readableEnded) {
      // A JSON or form parser ran first: the exact bytes the signature covers are gone.
      const message = 'the request body was already parsed (express.json() or the like before the receiver): mount the receiver before it, or give it express.raw({ type: "*/*" })';
      this.options.onProblem?.({ name: lastSegment(req.url ?? ''), status: 500, message });
      answer({ status: 500, body: { result: 0, message } });
    } else void this.node(req, res);
  };

  /**
   * For Fastify: `app.register(receiver.fastify, { prefix: '/ThirdPartService' })`. Registers
   * `POST /:name` with its own raw-body parser (the signature covers the exact bytes).
   */
  readonly fastify = async (instance: FastifyLike): Promise<void> => {
    instance.removeAllContentTypeParsers();
    instance.addContentTypeParser('*', { parseAs: 'buffer' }, (_req: unknown, body: Buffer, done: (e: Error | null, b?: Buffer) => void) => done(null, body));
    instance.post('/:name', async (request: { params: { name: string }; headers: Headers; body: Buffer | undefined }, reply: { code(n: number): { send(b: unknown): unknown } }) => {
      const a = await this.receive(request.params.name, request.headers, request.body ?? Buffer.alloc(0));
      return reply.code(a.status).send(a.body);
    });
  };
}

/** The few parts of a Fastify instance the adapter uses (Fastify is not a dependency). */
export interface FastifyLike {
  removeAllContentTypeParsers(): void;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Fastify's own signatures are generic; any keeps this structural.
  addContentTypeParser(type: string, options: { parseAs: 'buffer' }, parser: (...args: any[]) => void): void;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
  post(path: string, handler: (...args: any[]) => unknown): unknown;
}

function lastSegment(url: string): string {
  const path = url.split('?')[0] ?? '';
  const segment = path.slice(path.lastIndexOf('/') + 1);
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
