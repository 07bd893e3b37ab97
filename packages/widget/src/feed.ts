/**
 * The live feed: Socket.IO namespace /webchat, the visitor's token in the handshake (read at
 * every attempt, so a renewed token is used on the next one). What it pushes is a convenience:
 * on every (re)connect the controller catches up by id.
 */
import {
  VisitorClientEvent,
  VisitorServerEvent,
  type ConversationView,
  type VisitorClientToServerEvents,
  type VisitorMessage,
  type VisitorServerToClientEvents,
} from '@elitewebchat/protocol/browser';
import { io, type Socket } from 'socket.io-client';

export interface FeedHandlers {
  connected(): void;
  disconnected(): void;
  /** The token was refused: renew it, then call reconnect(). */
  unauthenticated(): void;
  message(message: VisitorMessage): void;
  state(view: ConversationView): void;
  typing(typing: boolean): void;
}

export interface Feed {
  start(): void;
  stop(): void;
  /** Connect now (back online, tab visible again, new token) rather than at the next backoff step. */
  reconnect(): void;
  readonly connected: boolean;
  typing(typing: boolean): void;
  /** This page has the agent's messages up to this id (sent only while connected). */
  received(upTo: number): void;
  /** The customer has seen the agent's messages up to this id (sent only while connected). */
  read(upTo: number): void;
}

export function socketFeed(token: () => string | null, h: FeedHandlers): Feed {
  const socket: Socket<VisitorServerToClientEvents, VisitorClientToServerEvents> = io('/webchat', {
    path: '/socket.io',
    transports: ['websocket', 'polling'],
    auth: (cb) => cb({ token: token() ?? '' }),
    autoConnect: false,
    reconnectionDelay: 500,
    reconnectionDelayMax: 5_000,
  });
  let stopped = false;
  let retry: ReturnType<typeof setTimeout> | undefined;
  const later = (ms: number) => {
    clearTimeout(retry);
    retry = setTimeout(() => !stopped && !socket.connected && socket.connect(), ms);
  };

  socket.on('connect', () => h.connected());
  socket.on('disconnect', (reason) => {
    h.disconnected();
    // The server ended it: socket.io does not retry by itself.
    if (reason === 'io server disconnect') later(1_000);
  });
  socket.on('connect_error', (error: Error) => {
    h.disconnected();
    if (error.message.startsWith('unauthenticated')) h.unauthenticated();
    // A refusal by the server's middleware is not retried by socket.io; a network failure is.
    else if (!socket.active) later(5_000);
  });
  socket.on(VisitorServerEvent.MESSAGE, (m) => h.message(m));
  socket.on(VisitorServerEvent.STATE, (v) => h.state(v));
  socket.on(VisitorServerEvent.TYPING, (t) => h.typing(t.typing === true));

  return {
    start: () => socket.connect(),
    stop() {
      stopped = true;
      clearTimeout(retry);
      socket.removeAllListeners();
      socket.disconnect();
    },
    reconnect() {
      if (stopped || socket.connected) return;
      // A socket waiting for its next backoff step: start over now.
      if (socket.active) socket.disconnect();
      socket.connect();
    },
    get connected() {
      return socket.connected;
    },
    typing(typing) {
      if (socket.connected) socket.emit(VisitorClientEvent.TYPING, { typing });
    },
    received(upTo) {
      if (socket.connected) socket.emit(VisitorClientEvent.RECEIVED, { upTo });
    },
    read(upTo) {
      if (socket.connected) socket.emit(VisitorClientEvent.READ, { upTo });
    },
  };
}
