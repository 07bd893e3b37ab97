/**
 * The agent's workspace: queues and chats (or requests to take, or left messages, or history) on
 * the left, the chat on the right (still there while reading left messages or requests to take).
 */
import { Activity, useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, matchPath, navigate, usePath } from '../app/router';
import { useServices } from '../app/services';
import { useStore } from '../app/store';
import { totalUnread } from '../chat/chat-store';
import { countLabel } from '../chat/left-messages';
import { ChatList } from './ChatList';
import { ChatView } from './ChatView';
import { HistoryPanel } from './HistoryPanel';
import { LeftMessagesPanel } from './LeftMessagesPanel';
import { OfferStack } from './OfferStack';
import { QueuePanel } from './QueuePanel';
import { TranscriptView } from './TranscriptView';
import { WaitingPanel } from './WaitingPanel';

const KEEP_RENDERED = 5;

export function AgentPage() {
  const { t } = useTranslation();
  const path = usePath();
  const { chats, leftMessages, waiting } = useServices();
  const activeId = useStore(chats.store, (s) => s.activeId);
  const unread = useStore(chats.store, totalUnread);
  const openCount = useStore(chats.store, (s) => s.chats.size);
  const leftOpen = useStore(leftMessages.store, (s) => s.open?.length ?? 0);
  const toTake = useStore(waiting.store, (s) => s.requests?.length ?? 0);
  const takeNote = useStore(waiting.store, (s) => s.note !== null);
  const history = path.startsWith('/agent/history');
  const left = path === '/agent/left-messages';
  const taking = path === '/agent/waiting';
  // Only while a manual queue of mine holds something to take (or it is open, or says why a take failed).
  const showWaiting = toTake > 0 || taking || takeNote;
  const transcript = matchPath('/agent/history/:id', path);
  const transcriptId = transcript ? Number(transcript.id) : null;

  const openChat = useCallback(
    (id: number) => {
      chats.setActive(id);
      if (path !== '/agent') navigate('/agent');
    },
    [chats, path],
  );

  // The last few chats looked at stay rendered in the background: switching back is instant and
  // keeps their scroll position and draft.
  const [kept, setKept] = useState<number[]>([]);
  // A string, so that messages (which replace the map) do not re-render this page.
  const idList = useStore(chats.store, (s) => [...s.chats.keys()].join(','));
  useEffect(() => {
    const exists = new Set(idList.split(',').map(Number));
    setKept((ids) => {
      const alive = ids.filter((id) => exists.has(id) && id !== activeId);
      const next = activeId !== null && exists.has(activeId) ? [activeId, ...alive].slice(0, KEEP_RENDERED) : alive;
      return next.length === ids.length && next.every((id, i) => id === ids[i]) ? ids : next;
    });
  }, [activeId, idList]);

  // Pick a chat when there is none and one is waiting to be read.
  const firstId = useStore(chats.store, (s) => (s.activeId === null && s.chats.size > 0 ? (s.chats.keys().next().value ?? null) : null));
  useEffect(() => {
    if (!history && firstId !== null) chats.setActive(firstId);
  }, [firstId, history, chats]);

  // Alt+↑ / Alt+↓ move between chats.
  useEffect(() => {
    const key = (e: KeyboardEvent) => {
      if (!e.altKey || (e.key !== 'ArrowUp' && e.key !== 'ArrowDown')) return;
      const ids = [...chats.state.chats.values()]
        .sort((a, b) => Number(a.session.status === 'closed') - Number(b.session.status === 'closed') || a.session.startedAt - b.session.startedAt)
        .map((c) => c.session.id);
      if (ids.length === 0) return;
      e.preventDefault();
      const i = ids.indexOf(chats.state.activeId ?? -1);
      const next = ids[(i + (e.key === 'ArrowDown' ? 1 : ids.length - 1) + (i < 0 ? 1 : 0)) % ids.length];
      if (next !== undefined) openChat(next);
    };
    window.addEventListener('keydown', key);
    return () => window.removeEventListener('keydown', key);
  }, [chats, openChat]);

  return (
    <div className="workspace" data-testid="agent-page">
      {/* First in the page's order: a keyboard reaches an offer right after the top bar. */}
      <OfferStack />
      <aside className="sidebar">
        <QueuePanel />
        <nav className="tabs" role="tablist">
          <Link to="/agent" role="tab" aria-selected={!history && !left && !taking} className={`tab${!history && !left && !taking ? ' active' : ''}`} data-testid="tab-chats">
            {t('agent.tabChats')} <span className="tab-count">{openCount}</span>
            {unread > 0 && <span className="badge">{unread}</span>}
          </Link>
          {showWaiting && (
            <Link to="/agent/waiting" role="tab" aria-selected={taking} className={`tab${taking ? ' active' : ''}`} title={t('waiting.title')} data-testid="waiting-tab">
              {t('agent.tabWaiting')}
              {toTake > 0 && (
                <span className="badge badge-new" aria-label={t('agent.waitingCount', { count: toTake })} data-testid="waiting-count">
                  {toTake}
                </span>
              )}
            </Link>
          )}
          <Link to="/agent/left-messages" role="tab" aria-selected={left} className={`tab${left ? ' active' : ''}`} title={t('leftMessages.title')} data-testid="left-messages-tab">
            {t('agent.tabLeftMessages')}
            {leftOpen > 0 && (
              <span className="badge badge-new" aria-label={t('agent.leftMessagesCount', { count: leftOpen })} data-testid="left-messages-count">
                {countLabel(leftOpen)}
              </span>
            )}
          </Link>
          <Link to="/agent/history" role="tab" aria-selected={history} className={`tab${history ? ' active' : ''}`} data-testid="tab-history">
            {t('agent.tabHistory')}
          </Link>
        </nav>
        <div className="sidebar-scroll">
          {history ? <HistoryPanel selectedId={transcriptId} /> : left ? <LeftMessagesPanel /> : taking ? <WaitingPanel /> : <ChatList onOpen={openChat} />}
        </div>
      </aside>
      <main className="main">
        {transcriptId !== null && Number.isSafeInteger(transcriptId) ? (
          <TranscriptView key={transcriptId} sessionId={transcriptId} />
        ) : history ? (
          <div className="empty-main muted">{t('search.pick')}</div>
        ) : activeId !== null ? (
          <>
            {/* A stable order: moving a kept chat in the DOM would lose its scroll position. */}
            {[...new Set([...kept, activeId])].sort((a, b) => a - b).map((id) => (
              <Activity key={id} mode={id === activeId ? 'visible' : 'hidden'}>
                <ChatView sessionId={id} />
              </Activity>
            ))}
          </>
        ) : (
          <div className="empty-main muted" data-testid="no-chat">
            {t('chat.waitingForChats')}
          </div>
        )}
      </main>
    </div>
  );
}
