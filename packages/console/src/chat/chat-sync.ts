/**
 * Feeds the chat store from the live feed and catches up after every (re)connect: fetch the open
 * sessions and merge by message id, then look up the ones we hold as open that are not open any
 * more (closed while we were away). Nothing is lost, nothing doubled.
 */
import { ServerEvent } from '@elitewebchat/protocol/browser';
import { agentApi } from '../api/agent';
import type { Realtime } from '../realtime/realtime';
import type { ChatStore } from './chat-store';
import { beep } from './notifier';
import type { QueueCounts } from './queue-counts';

export interface ChatSyncOptions {
  myId: string;
  /** Sessions a supervisor watches arrive on the same events; they are not ours. */
  isWatched(sessionId: number): boolean;
}

export function startChatSync(realtime: Realtime, chats: ChatStore, queues: QueueCounts, opts: ChatSyncOptions): () => void {
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  const fetching = new Set<number>();

  const catchUp = async (): Promise<void> => {
    const announce = chats.state.loaded;
    const [sessions] = await Promise.all([agentApi.openSessions(), queues.refresh()]);
    if (stopped) return;
    const added = chats.upsertSessions(sessions, { announce });
    if (announce && added.length > 0) beep('chat');
    const open = new Set(sessions.map((s) => s.id));
    const gone = chats.openIds().filter((id) => !open.has(id));
    const closed = await Promise.all(gone.map((id) => agentApi.session(id).catch(() => null)));
    if (stopped) return;
    chats.upsertSessions(
      closed.filter((s) => s !== null),
      { announce: true, fresh: false },
    );
  };

  const resync = () => {
    if (running) {
      again = true;
      return;
    }
    running = catchUp()
      .catch(() => {
        // The feed reconnects and asks again; a failed fetch while it is up is retried shortly.
        if (!stopped) window.setTimeout(resync, 3_000);
      })
      .finally(() => {
        running = null;
        if (again && !stopped) {
          again = false;
          resync();
        }
      });
  };

  /** A message of a session we do not hold: ours if the server says so (e.g. assigned during an outage). */
  const fetchUnknown = (sessionId: number) => {
    if (fetching.has(sessionId)) return;
    fetching.add(sessionId);
    agentApi
      .session(sessionId)
      .then((session) => {
        if (stopped || session.agentId !== opts.myId || session.status !== 'open') return;
        if (chats.upsertSessions([session], { announce: true }).length > 0) beep('chat');
      })
      .catch(() => undefined)
      .finally(() => fetching.delete(sessionId));
  };

  const offs = [
    realtime.onResync(resync),
    realtime.on(ServerEvent.CHAT_ASSIGNED, (session) => {
      if (chats.upsertSessions([session], { announce: true, fresh: true }).length > 0) beep('chat');
    }),
    realtime.on(ServerEvent.CHAT_MESSAGE, (message) => {
      const sessionId = message.sessionId;
      if (sessionId === null) return;
      const result = chats.addMessage(message);
      if (result === 'unknown') {
        if (!opts.isWatched(sessionId)) fetchUnknown(sessionId);
      } else if (result === 'new' && message.sender === 'customer') {
        if (chats.state.activeId !== sessionId || document.visibilityState !== 'visible') beep('message');
      }
    }),
    realtime.on(ServerEvent.CHAT_CLOSED, ({ sessionId, by }) => chats.closed(sessionId, by)),
    realtime.on(ServerEvent.QUEUES_CHANGED, ({ queues: list }) => queues.set(list)),
  ];

  const visible = () => {
    const active = chats.state.activeId;
    if (document.visibilityState === 'visible' && active !== null) chats.markRead(active);
  };
  document.addEventListener('visibilitychange', visible);
  window.addEventListener('focus', visible);

  return () => {
    stopped = true;
    for (const off of offs) off();
    document.removeEventListener('visibilitychange', visible);
    window.removeEventListener('focus', visible);
  };
}
