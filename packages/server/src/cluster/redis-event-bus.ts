/**
 * The event bus of a cluster: every event reaches the listeners of every node, the publishing
 * node's included, exactly once per node, in the order each node published them. Redis
 * pub/sub carries them between nodes, on the channel `<prefix>events`.
 *
 * Two paths, and each node takes exactly one of them for each event:
 * - the node's own events go to its listeners at once, synchronously inside emit(), exactly
 *   as InMemoryEventBus does (the code that emits keeps today's behaviour, and keeps it while
 *   Redis is away);
 * - other nodes' events arrive from Redis. A node receives its own events back from Redis too
 *   (it is subscribed to the channel it publishes on) and drops them: each message starts with
 *   the publishing bus's id, a random one per bus (not NODE_NAME, which two misconfigured
 *   nodes could share, and then each would drop the other's events).
 * Order: one node publishes on one connection, whose commands Redis runs in order, and Redis
 * delivers a channel's messages to a subscriber in the order it ran the PUBLISHes; so each
 * node sees every other node's events in their emit order. Events of different nodes may
 * interleave differently on different nodes (nothing relies on an order across nodes).
 *
 * Nothing here is durable, as in memory: Redis pub/sub drops what a node misses while its
 * subscription is down (ioredis subscribes again after reconnecting), and an event emitted
 * while Redis is away longer than the connection's retries is reported to onError and not
 * sent. Listeners catch up from the store, as they must after any missed event.
 *
 * Payloads cross as JSON. Every ChatEvent is plain JSON today (strings, numbers, booleans,
 * null, arrays, MessageRow and DeliveryView of those; both stores hand back int8 as numbers).
 * The codec below still carries what JSON would silently change, should a field ever hold one:
 * bigint, Buffer/Uint8Array, Date and non-finite numbers come back as themselves, not as a
 * string, an object of indices, a string and null. An optional field left undefined arrives
 * absent, which every listener reads the same (`=== undefined`).
 */
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';
import type { ChatEvent, EventBus } from './event-bus.js';
import type { RedisErrorHandler } from './redis.js';

type Listener = (event: ChatEvent) => void;

const TAG = '$ewc';

/** JSON of an event, with bigint, bytes, dates and non-finite numbers tagged. */
export function encodeEvent(event: ChatEvent): string {
  return JSON.stringify(event, function (this: Record<string, unknown>, key: string, value: unknown) {
    // The holder's own value: Buffer and Date have toJSON, already applied to `value`.
    const raw = this[key];
    if (typeof raw === 'bigint') return { [TAG]: 'bigint', v: raw.toString() };
    if (raw instanceof Uint8Array) return { [TAG]: 'bytes', v: Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('base64') };
    if (raw instanceof Date) return { [TAG]: 'date', v: raw.getTime() };
    if (typeof raw === 'number' && !Number.isFinite(raw)) return { [TAG]: 'number', v: String(raw) };
    return value;
  });
}

export function decodeEvent(text: string): ChatEvent {
  return JSON.parse(text, (_key, value: unknown) => {
    if (value === null || typeof value !== 'object' || !(TAG in value)) return value;
    const { [TAG]: kind, v } = value as { [TAG]: unknown; v: unknown };
    if (kind === 'bigint' && typeof v === 'string') return BigInt(v);
    if (kind === 'bytes' && typeof v === 'string') return Buffer.from(v, 'base64');
    if (kind === 'date' && typeof v === 'number') return new Date(v);
    if (kind === 'number' && typeof v === 'string') return Number(v);
    return value;
  }) as ChatEvent;
}

export class RedisEventBus implements EventBus {
  /** This bus's id: the start of every message it publishes. */
  readonly id = randomUUID();
  private readonly emitter = new EventEmitter();
  private readonly channel: string;
  private readonly mine: string;
  private readonly onMessage = (channel: string, message: string) => this.received(channel, message);

  /**
   * `publisher` sends; `subscriber` must be a connection of its own (a subscribed connection
   * can run nothing else). Call subscribe() before relying on other nodes' events.
   */
  constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    prefix: string,
    private readonly onError: RedisErrorHandler = () => undefined,
  ) {
    this.emitter.setMaxListeners(50);
    this.channel = `${prefix}events`;
    this.mine = `${this.id}\n`;
  }

  /** Resolves once Redis has confirmed the subscription: from then on, nothing is missed. */
  async subscribe(): Promise<void> {
    this.subscriber.on('message', this.onMessage);
    await this.subscriber.subscribe(this.channel);
  }

  async unsubscribe(): Promise<void> {
    this.subscriber.off('message', this.onMessage);
    await this.subscriber.unsubscribe(this.channel);
  }

  emit(event: ChatEvent): void {
    // Queued on the connection now, before the local listeners run: a listener that emits in
    // turn publishes after this event, as its local delivery comes after it too.
    this.publisher.publish(this.channel, this.mine + encodeEvent(event)).catch((error: unknown) => this.onError(error as Error, `publishing a ${event.type} event`));
    this.emitter.emit('event', event);
  }

  on(listener: Listener): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }

  private received(channel: string, message: string): void {
    if (channel !== this.channel || message.startsWith(this.mine)) return;
    let event: ChatEvent;
    try {
      event = decodeEvent(message.slice(message.indexOf('\n') + 1));
    } catch (error) {
      this.onError(error as Error, 'reading an event from Redis');
      return;
    }
    // Each listener on its own: one that throws must not keep the others from the event, nor
    // throw into the connection's reader.
    for (const listener of this.emitter.listeners('event') as Listener[]) {
      try {
        listener(event);
      } catch (error) {
        this.onError(error as Error, `a listener of a ${event.type} event from another node`);
      }
    }
  }
}
