/**
 * The SDK's tests' world: the real platform (startTestPlatform, on the store of the run) with one
 * keyed, signing channel whose callbacks go to a CallbackReceiver of the SDK on a real
 * node:http server; an agent online through the agent API; and a TpiClient of that channel.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import type { ChannelSpec } from '../../server/src/provisioning/schema.js';
import { startTestPlatform, type TestPlatform } from '../../server/src/test-support/platform.js';
import { TpiClient, type TpiClientOptions } from '../src/client.js';
import { CallbackReceiver, type CallbackHandlers, type CallbackMeta, type ReceiverOptions } from '../src/receiver.js';

export const KEY = 'sdk-test-channel-key-0123456789';
export const SIGNING_SECRET = 'sdk-test-signing-secret-0123456789abcdef';
export const newWebhookSecret = () => `whsec_${randomBytes(32).toString('base64')}`;

/** Listens on a free loopback port: the server's URL. */
export async function listenOnLoopback(server: http.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A POST whose headers promise 1,000 bytes, of which ten come before the connection ends. */
export async function postCutOff(url: string, path: string): Promise<void> {
  const { hostname, port } = new URL(url);
  await new Promise<void>((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => {
      socket.write(`POST ${path} HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"session`);
      setTimeout(() => socket.destroy(), 50);
    });
    socket.on('close', () => resolve());
    socket.on('error', reject);
  });
  // Time for the server to see the connection end.
  await new Promise((resolve) => setTimeout(resolve, 100));
}

/** Closes a server and every connection it still has. */
export function closeServer(server: http.Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** A callback as the integrator's handler got it. */
export interface Event {
  name: string;
  body: Record<string, unknown>;
  meta: CallbackMeta;
}

/** A node:http server around a receiver; records what its handlers got. */
export class ReceiverServer {
  readonly events: Event[] = [];
  readonly problems: { name: string; id?: string; status: number; message: string }[] = [];
  /** Called before an event is recorded; throw to fail the callback. */
  before: (event: Event) => void = () => undefined;
  readonly receiver: CallbackReceiver;
  private readonly server: http.Server;

  constructor(options: Omit<ReceiverOptions, 'handlers' | 'onProblem'>) {
    const record =
      (name: string) =>
      (body: object, meta: CallbackMeta): void => {
        const event = { name, body: body as Record<string, unknown>, meta };
        this.before(event);
        this.events.push(event);
      };
    const handlers: CallbackHandlers = {
      create: record('create'),
      msg: record('msg'),
      notice: record('notice'),
      pushRating: record('pushRating'),
      close: record('close'),
      updateRequestStatus: record('updateRequestStatus'),
      agentsUpdate: record('agentsUpdate'),
    };
    this.receiver = new CallbackReceiver({ ...options, handlers, onProblem: (p) => this.problems.push(p) });
    this.server = http.createServer((req, res) => void this.receiver.node(req, res));
  }

  start(): Promise<string> {
    return listenOnLoopback(this.server);
  }

  stop(): Promise<void> {
    return closeServer(this.server);
  }

  of(name: string): Event[] {
    return this.events.filter((e) => e.name === name);
  }
}

export interface SdkWorld {
  p: TestPlatform;
  rx: ReceiverServer;
  /** The receiver's URL: the channel's callbackBase. */
  rxUrl: string;
  client: (options?: Partial<TpiClientOptions>) => TpiClient;
  /** Agent A's token; A is online in queue 1. */
  agent: string;
  close(): Promise<void>;
}

export interface SdkWorldOptions {
  /** The channel's webhookSecrets (default: one fresh secret). */
  webhookSecrets?: string[];
  /** The receiver's secrets (default: the channel's). */
  receiverSecrets?: string[];
  channel?: Partial<ChannelSpec>;
}

export async function startSdkWorld(options: SdkWorldOptions = {}): Promise<SdkWorld> {
  const webhookSecrets = options.webhookSecrets ?? [newWebhookSecret()];
  const rx = new ReceiverServer({ secrets: options.receiverSecrets ?? webhookSecrets });
  const rxUrl = await rx.start();
  let p: TestPlatform;
  try {
    p = await startTestPlatform({
      provisioning: {
        queues: [{ id: 1, name: 'q', whenNoAgentOnline: 'wait' }],
        // B stays offline unless a test logs it in (a transfer's other agent).
        agents: [
          { id: 'A', username: 'a', password: 'pw-a', name: 'Agent A', queues: [1], maxChats: 20 },
          { id: 'B', username: 'b', password: 'pw-b', name: 'Agent B', queues: [1], maxChats: 20 },
        ],
        channels: [{ id: 'sdk', key: KEY, signingSecret: SIGNING_SECRET, webhookSecrets, callbackBase: rxUrl, ...options.channel }],
      },
    });
  } catch (error) {
    await rx.stop();
    throw error;
  }
  const agent = await p.login('a', 'pw-a');
  const online = await p.api('PUT', '/api/v1/agent/status', agent, { status: 'online' });
  if (online.status !== 200) throw new Error(`agent not online: ${JSON.stringify(online.body)}`);
  return {
    p,
    rx,
    rxUrl,
    agent,
    client: (more = {}) => new TpiClient({ url: p.url, key: KEY, signingSecret: SIGNING_SECRET, retryDelayMs: 20, ...more }),
    async close() {
      await p.close();
      await rx.stop();
    },
  };
}

/** Waits until `probe` gives something (polling every 20 ms), or fails naming `what`. */
export async function until<T>(probe: () => T | undefined | false, what: string, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
