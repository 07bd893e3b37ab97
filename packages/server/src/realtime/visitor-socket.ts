/**
 * The web chat's live feed: Socket.IO namespace `/webchat` on the agents' server, authenticated
 * with the visitor's token (`auth: { token }`). Each visitor's sockets share a room. What it
 * pushes is a convenience: every message has an id, and a client that was away catches up
 * with GET …/messages?after=<id up to which it has every message> (sequence numbers, not
 * best-effort socket recovery).
 *
 * - `message`: a message of the visitor's conversation, in the order written.
 * - `state`: the conversation's state (place, acceptance, read mark, closing, rating) when it
 *   changed, and once on every connection.
 * - `typing`: the agent typing.
 *
 * From the visitor: `typing`, and `received` / `read` {upTo}: how far the agent's messages of
 * their open chat have reached a page of theirs and been seen. Stored as the session's marks
 * (only forward, only ids of the agent's messages of that chat); the agent's replies show them.
 */
import {
  VisitorClientEvent,
  VisitorMarkEvent,
  VisitorServerEvent,
  VisitorTypingEvent,
  type VisitorClientToServerEvents,
  type VisitorServerToClientEvents,
} from '@elitewebchat/protocol';
import type { Logger } from 'pino';
import type { DefaultEventsMap, Namespace, Server } from 'socket.io';
import { Compile } from 'typebox/compile';
import type { EventBus } from '../cluster/event-bus.js';
import { InMemoryRateLimiter } from '../cluster/rate-limiter.js';
import type { Db } from '../db/database.js';
import type { MessageRow, VisitorRow } from '../db/schema.js';
import { webDelivery } from '../delivery/marks.js';
import { endAtExpiry } from './authenticate.js';
import { originAllowed, presentVisitorMessage, visibleToVisitor, type ConversationService, type VisitorService, type WebChannel } from '../modules/webchat/index.js';

interface VisitorData {
  visitor: VisitorRow;
  channel: WebChannel;
  /** When this socket last said the visitor is typing, and whether it did (or stopped) last. */
  typingAt: number;
  typing: boolean;
}

type VisitorNamespace = Namespace<VisitorClientToServerEvents, VisitorServerToClientEvents, DefaultEventsMap, VisitorData>;

export interface VisitorSocketDeps {
  db: Db;
  events: EventBus;
  visitors: VisitorService;
  conversations: ConversationService;
  channel: (id: string) => WebChannel | undefined;
  clock: () => number;
  log: Logger;
}

const typingBody = Compile(VisitorTypingEvent);
const markBody = Compile(VisitorMarkEvent);
const room = (visitorId: string) => `visitor:${visitorId}`;
/** States are recomputed at most this often: a burst of routing changes makes one push. */
const STATE_COALESCE_MS = 150;
/** Sessions whose visitor is known (or known to have none: TPI sessions). */
const SESSION_CACHE = 20_000;
/**
 * What one visitor may send over their sockets (typing, received, read), all together: a page
 * sends a few a minute; more is a script, and what is over is dropped (each costs a query, and
 * typing reaches the agent's every tab).
 */
const VISITOR_EVENTS = { perSecond: 5, burst: 20 };

export function attachVisitorSockets(io: Server, deps: VisitorSocketDeps): () => void {
  const nsp = io.of('/webchat') as unknown as VisitorNamespace;
  /** visitor id → what the state pushes need, while any socket of theirs is here. */
  const connected = new Map<string, { visitor: VisitorRow; channel: WebChannel; sockets: number; lastState?: string }>();
  const events = new InMemoryRateLimiter(VISITOR_EVENTS, () => performance.now());

  nsp.use((socket, next) => {
    const token = (socket.handshake.auth as { token?: unknown }).token;
    if (typeof token !== 'string') return next(new Error('unauthenticated: pass auth.token'));
    deps.visitors
      .byToken(undefined, token)
      .then((found) => {
        const channel = found && deps.channel(found.visitor.channel_id);
        if (!found || !channel) return next(new Error('unauthenticated: missing or expired visitor token'));
        const { origin, host } = socket.handshake.headers;
        if (!originAllowed(origin, host, channel.options.allowedOrigins)) return next(new Error(`forbidden: pages of ${origin} may not use this channel`));
        socket.data.visitor = found.visitor;
        socket.data.channel = channel;
        socket.data.typingAt = 0;
        socket.data.typing = false;
        // A feed lives no longer than its token.
        endAtExpiry(socket, found.expiresAt, deps.clock());
        void socket.join(room(found.visitor.id));
        next();
      })
      .catch((error: unknown) => next(error as Error));
  });

  nsp.on('connection', (socket) => {
    const { visitor, channel } = socket.data;
    const entry = connected.get(visitor.id) ?? { visitor, channel, sockets: 0 };
    entry.sockets += 1;
    connected.set(visitor.id, entry);
    socket.on('disconnect', () => {
      entry.sockets -= 1;
      if (entry.sockets === 0) connected.delete(visitor.id);
    });
    // This socket's first state, whatever was pushed before it came.
    deps.conversations
      .view(channel, visitor)
      .then((view) => {
        entry.lastState = JSON.stringify(view);
        socket.emit(VisitorServerEvent.STATE, view);
      })
      .catch((error: unknown) => deps.log.error({ err: error }, 'web chat state failed'));

    let typingSent = Promise.resolve();
    socket.on(VisitorClientEvent.TYPING, (body: unknown) => {
      if (!typingBody.Check(body)) return;
      // A change only, and "typing" at most once a second (a stop in between starts no new second):
      // plenty for an indicator; more is noise or abuse.
      const now = deps.clock();
      if (body.typing ? now - socket.data.typingAt < 1_000 : !socket.data.typing) return;
      if (!events.take(visitor.id)) return;
      socket.data.typing = body.typing;
      if (body.typing) socket.data.typingAt = now;
      // In the order sent: a stop must not overtake the start before it (two lookups on two connections).
      typingSent = typingSent
        .then(() => openSessionOf(deps.db, visitor.id))
        .then((session) => {
          if (session) deps.events.emit({ type: 'typing', sessionId: session.id, agentId: session.agent_id, party: 'customer', typing: body.typing });
        })
        .catch((error: unknown) => deps.log.error({ err: error }, 'web chat typing failed'));
    });

    const mark = markQueue(
      (kind, upTo) => storeMark(deps, visitor.id, kind, upTo),
      (error) => deps.log.error({ err: error }, 'web chat delivery mark failed'),
    );
    socket.on(VisitorClientEvent.RECEIVED, (body: unknown) => {
      if (markBody.Check(body) && events.take(visitor.id)) mark('received', body.upTo);
    });
    socket.on(VisitorClientEvent.READ, (body: unknown) => {
      if (markBody.Check(body) && events.take(visitor.id)) mark('read', body.upTo);
    });
  });

  // ---- which visitor a session is ----
  const visitorOfSession = new Map<number, string | null>();
  const lookup = async (sessionId: number): Promise<string | null> => {
    const known = visitorOfSession.get(sessionId);
    if (known !== undefined) return known;
    const row = await deps.db
      .selectFrom('sessions')
      .innerJoin('chat_requests', 'chat_requests.id', 'sessions.request_id')
      .select('chat_requests.visitor_id')
      .where('sessions.id', '=', sessionId)
      .executeTakeFirst();
    if (visitorOfSession.size >= SESSION_CACHE) visitorOfSession.clear();
    const visitorId = row?.visitor_id ?? null;
    visitorOfSession.set(sessionId, visitorId);
    return visitorId;
  };

  // Per session, pushes leave in the order their events came, even when one waits for a lookup.
  const chains = new Map<number, Promise<void>>();
  const inOrder = (sessionId: number, task: () => Promise<void>) => {
    const next = (chains.get(sessionId) ?? Promise.resolve()).then(task).catch((error: unknown) => deps.log.error({ err: error, sessionId }, 'web chat push failed'));
    chains.set(sessionId, next);
    void next.finally(() => {
      if (chains.get(sessionId) === next) chains.delete(sessionId);
    });
  };

  const pushMessage = (visitorId: string, message: MessageRow) => {
    const entry = connected.get(visitorId);
    if (!entry || !visibleToVisitor(message)) return;
    nsp.to(room(visitorId)).emit(VisitorServerEvent.MESSAGE, presentVisitorMessage(message, entry.channel.row.id));
  };

  // ---- states, coalesced ----
  const dirty = new Set<string>();
  let allWaiting = false;
  let timer: NodeJS.Timeout | undefined;
  const schedule = () => {
    timer ??= setTimeout(() => {
      timer = undefined;
      void flushStates().catch((error: unknown) => deps.log.error({ err: error }, 'web chat states failed'));
    }, STATE_COALESCE_MS);
  };
  const stateChanged = (visitorId: string) => {
    if (!connected.has(visitorId)) return;
    dirty.add(visitorId);
    schedule();
  };
  const flushStates = async () => {
    const ids = new Set(dirty);
    dirty.clear();
    if (allWaiting) {
      allWaiting = false;
      // Places move for everyone waiting when anything in the queues changes.
      const waiting = await deps.db.selectFrom('chat_requests').select('visitor_id').where('status', '=', 0).where('visitor_id', 'is not', null).execute();
      for (const w of waiting) if (w.visitor_id && connected.has(w.visitor_id)) ids.add(w.visitor_id);
    }
    for (const id of ids) {
      const entry = connected.get(id);
      if (!entry) continue;
      const view = await deps.conversations.view(entry.channel, entry.visitor);
      const json = JSON.stringify(view);
      if (json === entry.lastState) continue;
      entry.lastState = json;
      nsp.to(room(id)).emit(VisitorServerEvent.STATE, view);
    }
  };

  const stopListening = deps.events.on((event) => {
    // With no visitor connected here, nothing below has anyone to tell (and the TPI's hot path pays nothing).
    if (connected.size === 0) return;
    switch (event.type) {
      case 'message':
        inOrder(event.sessionId, async () => {
          const visitorId = await lookup(event.sessionId);
          if (!visitorId) return;
          pushMessage(visitorId, event.message);
          if (event.message.kind === 'event') stateChanged(visitorId);
        });
        break;
      case 'visitor-message':
        pushMessage(event.visitorId, event.message);
        break;
      case 'assigned':
      case 'closed':
      case 'read':
        inOrder(event.sessionId, async () => {
          const visitorId = await lookup(event.sessionId);
          if (visitorId) stateChanged(visitorId);
        });
        if (event.type === 'assigned') {
          allWaiting = true;
          schedule();
        }
        break;
      case 'typing':
        if (event.party === 'agent') {
          inOrder(event.sessionId, async () => {
            const visitorId = await lookup(event.sessionId);
            if (visitorId) nsp.to(room(visitorId)).emit(VisitorServerEvent.TYPING, { typing: event.typing });
          });
        }
        break;
      case 'request-ended':
        // The request's own visitor (cancelled, timed out, taken), and everyone behind it.
        if (event.visitorId) stateChanged(event.visitorId);
        allWaiting = true;
        schedule();
        break;
      case 'capacity':
        allWaiting = true;
        schedule();
        break;
      default:
        break;
    }
  });

  return () => {
    stopListening();
    if (timer) clearTimeout(timer);
  };
}

function openSessionOf(db: Db, visitorId: string) {
  return db
    .selectFrom('chat_requests')
    .innerJoin('sessions', 'sessions.id', 'chat_requests.session_id')
    .select(['sessions.id', 'sessions.agent_id', 'sessions.visitor_received_id', 'sessions.visitor_read_id'])
    .where('chat_requests.visitor_id', '=', visitorId)
    .where('sessions.status', '=', 'open')
    .executeTakeFirst();
}

type MarkKind = 'received' | 'read';

/**
 * One socket's marks, stored one at a time and in the order they came; marks that arrive
 * meanwhile are kept as the highest of each kind. A page sending marks fast costs one query
 * chain, not one per mark.
 */
function markQueue(write: (kind: MarkKind, upTo: number) => Promise<void>, failed: (error: unknown) => void): (kind: MarkKind, upTo: number) => void {
  const wanted = { received: 0, read: 0 };
  const written = { received: 0, read: 0 };
  const order: MarkKind[] = [];
  let running = false;
  const run = async () => {
    running = true;
    try {
      for (let kind = order.shift(); kind !== undefined; kind = order.shift()) {
        if (wanted[kind] <= written[kind]) continue;
        written[kind] = wanted[kind];
        await write(kind, written[kind]);
      }
    } catch (error) {
      failed(error);
    } finally {
      running = false;
    }
  };
  return (kind, upTo) => {
    if (upTo <= wanted[kind]) return;
    wanted[kind] = upTo;
    if (!order.includes(kind)) order.push(kind);
    if (!running) void run();
  };
}

/**
 * Moves the visitor's open session's received or read mark forward to `upTo` if that is one of
 * the agent's messages of it, and tells the agent which replies it moved. A received mark never
 * turns a read reply back into a delivered one.
 */
async function storeMark(deps: Pick<VisitorSocketDeps, 'db' | 'events'>, visitorId: string, kind: MarkKind, upTo: number): Promise<void> {
  const { db } = deps;
  const session = await openSessionOf(db, visitorId);
  if (!session) return;
  const column = kind === 'received' ? 'visitor_received_id' : 'visitor_read_id';
  if (upTo <= session[column]) return;
  const moved = await db
    .updateTable('sessions')
    .set(kind === 'received' ? { visitor_received_id: upTo } : { visitor_read_id: upTo })
    .where('id', '=', session.id)
    .where(column, '<', upTo)
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('messages')
          .select('messages.id')
          .where('messages.id', '=', upTo)
          .where('messages.session_id', '=', session.id)
          .where('messages.sender', '=', 'agent')
          .where('messages.kind', '=', 'text'),
      ),
    )
    .executeTakeFirst();
  if (Number(moved.numUpdatedRows) === 0) return;
  const from = kind === 'received' ? Math.max(session.visitor_received_id, session.visitor_read_id) : session.visitor_read_id;
  const replies = await db
    .selectFrom('messages')
    .select('id')
    .where('session_id', '=', session.id)
    .where('id', '>', from)
    .where('id', '<=', upTo)
    .where('sender', '=', 'agent')
    .where('kind', '=', 'text')
    .orderBy('id')
    .execute();
  const delivery = kind === 'received' ? webDelivery(upTo, upTo, 0) : webDelivery(upTo, upTo, upTo);
  if (replies.length > 0) deps.events.emit({ type: 'delivery', sessionId: session.id, agentId: session.agent_id, messageIds: replies.map((r) => r.id), delivery });
}
