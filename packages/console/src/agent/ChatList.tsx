/** The agent's chats: open ones in the order they came, closed ones below until put away. */
import { memo, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useServices } from '../app/services';
import { useStore } from '../app/store';
import type { ChatEntry } from '../chat/chat-store';
import { useRatingLabel } from '../chat/useRatingLabel';
import { eventText } from '../messages/EventNote';
import { previewText } from '../messages/MessageText';
import { formatTime } from '../ui/format';
import { SourceAvatar } from '../ui/SourceAvatar';

export function ChatList({ onOpen }: { onOpen: (id: number) => void }) {
  const { t } = useTranslation();
  const { chats } = useServices();
  const map = useStore(chats.store, (s) => s.chats);
  const activeId = useStore(chats.store, (s) => s.activeId);
  const loaded = useStore(chats.store, (s) => s.loaded);
  const ordered = useMemo(() => {
    const list = [...map.values()];
    list.sort((a, b) => {
      const ac = a.session.status === 'closed' ? 1 : 0;
      const bc = b.session.status === 'closed' ? 1 : 0;
      return ac - bc || a.session.startedAt - b.session.startedAt || a.session.id - b.session.id;
    });
    return list;
  }, [map]);

  if (!loaded) return <p className="muted pad">{t('common.loading')}</p>;
  if (ordered.length === 0)
    return (
      <p className="muted pad" data-testid="chat-list-empty">
        {t('chat.none')}
      </p>
    );
  return (
    <ul className="chat-list" data-testid="chat-list" title={t('chat.switchHint')}>
      {ordered.map((entry) => (
        <ChatListItem key={entry.session.id} entry={entry} active={entry.session.id === activeId} onOpen={onOpen} />
      ))}
    </ul>
  );
}

const ChatListItem = memo(function ChatListItem({ entry, active, onOpen }: { entry: ChatEntry; active: boolean; onOpen: (id: number) => void }) {
  const { t, i18n } = useTranslation();
  const label = useRatingLabel();
  const { session, messages, unread, fresh } = entry;
  const last = messages[messages.length - 1];
  const preview = useMemo(() => {
    if (!last) return '';
    switch (last.kind) {
      case 'image':
        return t('chat.previewImage');
      case 'voice':
        return t('chat.previewVoice');
      case 'location':
        return t('chat.previewLocation');
      case 'video':
        return t('chat.previewVideo');
      case 'file':
        return t('chat.previewFile', { name: last.file?.name ?? '' });
      case 'event':
        return `[${eventText(last.event, t, label)}]`;
      default:
        return previewText(last.text ?? '', t('chat.previewImage'));
    }
  }, [last, t, label]);
  const closed = session.status === 'closed';
  return (
    <li>
      <button
        type="button"
        className={`chat-item${active ? ' active' : ''}${closed ? ' closed' : ''}${fresh ? ' fresh' : ''}`}
        onClick={() => onOpen(session.id)}
        aria-current={active ? 'true' : undefined}
        data-testid="chat-list-item"
        data-session-id={session.id}
        data-status={session.status}
      >
        <SourceAvatar from={session.from} size={32} />
        <span className="chat-item-body">
          <span className="chat-item-top">
            <span className="chat-item-name">{session.nickname}</span>
            {last && <span className="chat-item-time">{formatTime(last.createdAt, i18n.language)}</span>}
          </span>
          <span className="chat-item-bottom">
            <span className="chat-item-preview">{closed && last?.kind !== 'event' ? `[${t('chat.closed')}] ${preview}` : preview}</span>
            {unread > 0 ? (
              <span className="badge" data-testid="unread-badge" aria-label={t('chat.unread', { count: unread })}>
                {unread > 99 ? '99+' : unread}
              </span>
            ) : fresh ? (
              <span className="badge badge-new" data-testid="new-badge">
                {t('chat.new')}
              </span>
            ) : null}
          </span>
        </span>
      </button>
    </li>
  );
});
