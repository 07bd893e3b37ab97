/**
 * A chat's messages, newest at the bottom. Only the last PAGE are rendered at first ("show
 * earlier" adds more, fetching them from the server once those held run out), so twenty chats
 * of five hundred messages stay light. Follows new messages while the reader is at the bottom;
 * otherwise offers a jump to them.
 */
import type { MessageView } from '@elitewebchat/protocol/browser';
import { useEffect, useLayoutEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { PendingMessage } from '../chat/chat-store';
import { MessageItem } from './MessageItem';
import { MessageText } from './MessageText';

export const PAGE = 100;
const NEAR_BOTTOM_PX = 80;

interface Props {
  messages: readonly MessageView[];
  pending?: readonly PendingMessage[];
  onRetry?: (p: PendingMessage) => void;
  onDiscard?: (p: PendingMessage) => void;
  /** The server has earlier messages than the first of `messages`: adds them to `messages`. */
  loadEarlier?: (() => Promise<void>) | undefined;
  /** Shown above the messages (e.g. a note that the customer waited). */
  header?: ReactNode;
  testId?: string;
}

export function MessageList({ messages, pending = [], onRetry, onDiscard, loadEarlier, header, testId = 'message-list' }: Props) {
  const { t } = useTranslation();
  const scroller = useRef<HTMLDivElement>(null);
  const list = useRef<HTMLOListElement>(null);
  const [shown, setShown] = useState(PAGE);
  const atBottom = useRef(true);
  const [newBelow, setNewBelow] = useState(false);
  const [loading, setLoading] = useState(false);
  const heightBeforeMore = useRef<number | null>(null);
  /** Where the reader was; a chat kept in the background (display: none) forgets its scroll. */
  const lastScrollTop = useRef<number | null>(null);
  const lastId = messages[messages.length - 1]?.id;
  const visible = messages.length > shown ? messages.slice(messages.length - shown) : messages;
  const hidden = messages.length - visible.length;

  // Keep the view where the reader left it when earlier messages are added above.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el || heightBeforeMore.current === null) return;
    el.scrollTop += el.scrollHeight - heightBeforeMore.current;
    heightBeforeMore.current = null;
  }, [shown]);

  // Shown again after being kept in the background: back to where the reader was.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    if (atBottom.current || lastScrollTop.current === null) el.scrollTop = el.scrollHeight;
    else el.scrollTop = lastScrollTop.current;
  }, []);

  // New messages: follow them if the reader is at the bottom.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    if (atBottom.current) {
      el.scrollTop = el.scrollHeight;
      setNewBelow(false);
    } else {
      setNewBelow(true);
    }
  }, [lastId, pending.length]);

  // Images arrive after their messages: stay at the bottom while they grow the list.
  useEffect(() => {
    const el = list.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(() => {
      const s = scroller.current;
      if (s && s.clientHeight > 0 && atBottom.current) s.scrollTop = s.scrollHeight;
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const onScroll = () => {
    const el = scroller.current;
    if (!el) return;
    // A hidden list reports 0 for everything: keep what was true while it was seen.
    if (el.clientHeight === 0) return;
    lastScrollTop.current = el.scrollTop;
    atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < NEAR_BOTTOM_PX;
    if (atBottom.current) setNewBelow(false);
  };

  const showEarlier = async () => {
    if (hidden === 0 && loadEarlier) {
      setLoading(true);
      try {
        await loadEarlier();
      } finally {
        setLoading(false);
      }
    }
    heightBeforeMore.current = scroller.current?.scrollHeight ?? null;
    setShown((n) => n + PAGE);
  };

  const jump = () => {
    const el = scroller.current;
    if (el) el.scrollTop = el.scrollHeight;
    atBottom.current = true;
    setNewBelow(false);
  };

  // Messages the customer took back (TPI 2024): a `revoked` event names each.
  const revoked = useMemo(() => {
    const ids = new Set<number>();
    for (const m of messages) if (m.event?.event === 'revoked') ids.add(m.event.messageId);
    return ids;
  }, [messages]);

  return (
    <div className="message-scroller" ref={scroller} onScroll={onScroll} data-testid={testId}>
      {header}
      {(hidden > 0 || loadEarlier) && (
        <div className="show-earlier">
          <button type="button" className="btn btn-small" onClick={() => void showEarlier()} disabled={loading} data-testid="show-earlier">
            {hidden > 0 ? t('message.showEarlier', { count: Math.min(PAGE, hidden), hidden }) : t('message.loadEarlier')}
          </button>
        </div>
      )}
      <ol className="messages" ref={list}>
        {visible.map((m) => (
          <MessageItem key={m.id} message={m} revoked={revoked.has(m.id)} />
        ))}
        {pending.map((p) => (
          <li key={p.localId} className={`msg msg-out msg-pending${p.failed ? ' msg-failed' : ''}`} data-testid="pending-message">
            <div className="bubble">
              <MessageText text={p.text} />
            </div>
            <span className="msg-time">
              {p.failed ? (
                <>
                  <span className="error-text" title={p.failed}>
                    {t('message.failed')}
                  </span>{' '}
                  {onRetry && (
                    <button type="button" className="link-btn" onClick={() => onRetry(p)}>
                      {t('message.retry')}
                    </button>
                  )}{' '}
                  {onDiscard && (
                    <button type="button" className="link-btn" onClick={() => onDiscard(p)}>
                      {t('message.discard')}
                    </button>
                  )}
                </>
              ) : (
                t('message.sending')
              )}
            </span>
          </li>
        ))}
      </ol>
      {newBelow && (
        <button type="button" className="new-below" onClick={jump} data-testid="new-below">
          {t('message.newBelow')}
        </button>
      )}
    </div>
  );
}
