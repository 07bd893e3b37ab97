/**
 * The live feed: one Socket.IO connection per login (token in the handshake's `auth`, never in
 * the URL), its connection state for the reconnect banner, and a `resync` signal that tells
 * stores to catch up (on every connect, and after the machine slept).
 */
import {
  ClientEvent,
  ServerEvent,
  type ClientToServerEvents,
  type MessageView,
  type ServerToClientEvents,
  type WatchAnswer,
} from '@elitewebchat/protocol/browser';
import { io, type Socket } from 'socket.io-client';
import { createStore, type Store } from '../app/store';

/**
 * The events a listener can subscribe to: every server event but `chat.messages`, whose batches
 * reach `chat.message` listeners one message at a time (see `on`).
 */
export type ListenEvent = Exclude<keyof ServerToClientEvents, typeof ServerEvent.CHAT_MESSAGES>;

/**
 * The protocol's client events with the acknowledgement required: socket.io-client types the
 * `(err, answer)` callback of `timeout().emit` only for a required one (the protocol's is optional
 * because a server must take emits without one).
 */
type AckedClientEvents = {
  [E in keyof ClientToServerEvents]: (body: Parameters<ClientToServerEvents[E]>[0], ack: NonNullable<Parameters<ClientToServerEvents[E]>[1]>) => void;
};

export interface ConnectionState {
  /** The socket is connected now. */
  connected: boolean;
  /** It was connected at least once (a first connection is not a "reconnect"). */
  everConnected: boolean;
  /** When the current outage began, or null. */
  downSince: number | null;
  /** When the last outage ended, or null; the UI shows "reconnected" for a moment. */
  recoveredAt: number | null;
  /** Why the last connection attempt failed, if it did. */
  lastError: string | null;
}

/** A wall-clock jump this large between two ticks means the machine slept. */
const SLEEP_GAP_MS = 15_000;
const TICK_MS = 5_000;

export class Realtime {
  readonly state: Store<ConnectionState> = createStore<ConnectionState>({
    connected: false,
    everConnected: false,
    downSince: null,
    recoveredAt: null,
    lastError: null,
  });
  private readonly socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  private readonly resyncListeners = new Set<() => void>();
  private readonly cleanups: (() => void)[] = [];
  private stopped = false;

  constructor(token: string, onUnauthenticated: () => void) {
    this.socket = io({
      path: '/socket.io',
      // WebSocket first: a load balancer in front of several nodes needs no stickiness for it.
      transports: ['websocket', 'polling'],
      auth: { token },
      autoConnect: false,
      reconnectionDelay: 500,
      reconnectionDelayMax: 5_000,
    });

    this.socket.on('connect', () => {
      const s = this.state.get();
      this.state.set({
        connected: true,
        everConnected: true,
        downSince: null,
        recoveredAt: s.everConnected ? Date.now() : null,
        lastError: null,
      });
      this.resync();
    });
    this.socket.on('disconnect', (reason) => {
      const s = this.state.get();
      this.state.set({ ...s, connected: false, downSince: s.downSince ?? Date.now(), recoveredAt: null });
      // The server ended the feed (token revoked or expired): socket.io will not retry by itself.
      // One more try tells which: a bad token fails with connect_error "unauthenticated".
      if (reason === 'io server disconnect') window.setTimeout(() => !this.stopped && this.socket.connect(), 1_000);
    });
    this.socket.on('connect_error', (error: Error) => {
      const s = this.state.get();
      this.state.set({ ...s, connected: false, downSince: s.downSince ?? Date.now(), lastError: error.message });
      if (error.message.startsWith('unauthenticated')) {
        this.socket.disconnect();
        onUnauthenticated();
      } else if (!this.socket.active) {
        // Refused by the server (a node that has lost Redis, in cluster mode): socket.io does
        // not retry a refusal by itself.
        window.setTimeout(() => !this.stopped && !this.socket.connected && this.socket.connect(), 2_000);
      }
    });

    // Back from sleep or offline: reconnect now rather than at the next backoff step, and catch up
    // even if the socket believes it never left (the server may have dropped it meanwhile).
    let last = Date.now();
    const tick = window.setInterval(() => {
      const now = Date.now();
      if (now - last > SLEEP_GAP_MS) this.wake();
      last = now;
    }, TICK_MS);
    const wake = () => this.wake();
    const visible = () => {
      if (document.visibilityState === 'visible' && !this.socket.connected) this.wake();
    };
    window.addEventListener('online', wake);
    document.addEventListener('visibilitychange', visible);
    this.cleanups.push(
      () => window.clearInterval(tick),
      () => window.removeEventListener('online', wake),
      () => document.removeEventListener('visibilitychange', visible),
    );
  }

  start(): void {
    this.socket.connect();
  }

  stop(): void {
    this.stopped = true;
    for (const c of this.cleanups.splice(0)) c();
    this.resyncListeners.clear();
    this.socket.removeAllListeners();
    this.socket.disconnect();
  }

  on<E extends ListenEvent>(event: E, listener: ServerToClientEvents[E]): () => void {
    // socket.io's typed `on` wants the exact listener type of a literal event name.
    const s = this.socket as unknown as { on(e: string, l: (...args: never[]) => void): void; off(e: string, l: (...args: never[]) => void): void };
    s.on(event, listener);
    if (event !== ServerEvent.CHAT_MESSAGE) return () => s.off(event, listener);
    // Messages the server wrote together arrive together, as `chat.messages`: each is handed to
    // the listener in order, as if it had come alone.
    const one = listener as ServerToClientEvents[typeof ServerEvent.CHAT_MESSAGE];
    const each: ServerToClientEvents[typeof ServerEvent.CHAT_MESSAGES] = (messages: MessageView[]) => {
      for (const m of messages) one(m);
    };
    s.on(ServerEvent.CHAT_MESSAGES, each);
    return () => {
      s.off(event, listener);
      s.off(ServerEvent.CHAT_MESSAGES, each);
    };
  }

  /** Called on every (re)connect and wake-up: fetch what may have been missed. */
  onResync(listener: () => void): () => void {
    this.resyncListeners.add(listener);
    return () => this.resyncListeners.delete(listener);
  }

  watch(sessionId: number): Promise<WatchAnswer> {
    return new Promise((resolve) => {
      if (!this.socket.connected) return resolve({ ok: false, error: 'offline' });
      const acked = this.socket as Socket<ServerToClientEvents, AckedClientEvents>;
      acked.timeout(10_000).emit(ClientEvent.SESSION_WATCH, { sessionId }, (err: Error | null, answer?: WatchAnswer) => {
        resolve(err ? { ok: false, error: err.message } : (answer ?? { ok: false }));
      });
    });
  }

  unwatch(sessionId: number): void {
    // Every client event is acknowledged; nothing waits for this one.
    if (this.socket.connected) this.socket.emit(ClientEvent.SESSION_UNWATCH, { sessionId }, () => undefined);
  }

  /** The agent is typing (or stopped) in a web chat. Fire-and-forget: a late one is worth nothing. */
  typing(sessionId: number, typing: boolean): void {
    if (this.socket.connected) this.socket.emit(ClientEvent.CHAT_TYPING, { sessionId, typing }, () => undefined);
  }

  /** The agent has read the customer's messages up to `upTo`: answers whether the server took it. */
  read(sessionId: number, upTo: number): Promise<boolean> {
    return new Promise((resolve) => {
      if (!this.socket.connected) return resolve(false);
      const acked = this.socket as Socket<ServerToClientEvents, AckedClientEvents>;
      acked.timeout(10_000).emit(ClientEvent.CHAT_READ, { sessionId, upTo }, (err: Error | null, answer?: WatchAnswer) => resolve(!err && answer?.ok === true));
    });
  }

  private wake(): void {
    if (this.stopped) return;
    if (this.socket.connected) this.resync();
    else this.socket.connect();
  }

  private resync(): void {
    for (const l of this.resyncListeners) l();
  }
}
