/** One message a customer left: who, how to reach them, what they wrote, where they were; "mark handled". */
import type { LeftMessageView } from '@elitewebchat/protocol/browser';
import { memo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useServices } from '../app/services';
import { useAuth } from '../auth/auth-store';
import { VisitorFacts } from '../chat/VisitorFacts';
import { MessageText } from '../messages/MessageText';
import { errorMessage } from '../ui/ErrorNote';
import { formatDateTime, formatTime } from '../ui/format';
import { SourceAvatar } from '../ui/SourceAvatar';

export const LeftMessageItem = memo(function LeftMessageItem({ message }: { message: LeftMessageView }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const { leftMessages, queues } = useServices();
  const me = useAuth()?.agent;
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<string | null>(null);
  const open = message.handledAt === null;

  const markHandled = async () => {
    setBusy(true);
    setNote(null);
    try {
      if ((await leftMessages.markHandled(message.id)) === 'conflict') setNote(t('leftMessages.conflict'));
    } catch (err) {
      setNote(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  const handler = message.handledBy !== null && me && message.handledBy === me.id ? me.alias || me.name : message.handledBy;
  return (
    <li className={`left-item${open ? '' : ' handled'}`} data-testid="left-message-item" data-left-message-id={message.id} data-status={open ? 'open' : 'handled'}>
      <div className="left-top">
        <SourceAvatar from={message.info.source} size={24} />
        <strong className="left-name" data-testid="left-message-name">
          {message.name}
        </strong>
        <time className="left-time" dateTime={new Date(message.createdAt).toISOString()} title={formatDateTime(message.createdAt, lng)} data-testid="left-message-time">
          {formatTime(message.createdAt, lng)}
        </time>
      </div>
      <dl className="session-facts">
        <div>
          <dt>{t('leftMessages.contact')}</dt>
          <dd className="left-contact" data-testid="left-message-contact">
            {message.contact}
          </dd>
        </div>
        <div>
          <dt>{t('leftMessages.queue')}</dt>
          <dd data-testid="left-message-queue" data-queue-id={message.queueId}>
            {queues.name(message.queueId) ?? `#${message.queueId}`}
          </dd>
        </div>
      </dl>
      <div className="left-text" data-testid="left-message-text">
        <MessageText text={message.text} />
      </div>
      <VisitorFacts visitor={message.info} />
      <div className="left-actions">
        {open ? (
          <button type="button" className="btn btn-small btn-primary" onClick={() => void markHandled()} disabled={busy} data-testid="left-message-handled">
            {busy ? t('leftMessages.marking') : t('leftMessages.markHandled')}
          </button>
        ) : (
          <span className="muted small" data-testid="left-message-handled-by" data-agent-id={message.handledBy ?? ''}>
            {t('leftMessages.handledBy', { agent: handler ?? '—', time: formatTime(message.handledAt ?? 0, lng) })}
          </span>
        )}
        {note && (
          <span className="error-text small" role="alert" data-testid="left-message-note">
            {note}
          </span>
        )}
      </div>
    </li>
  );
});
