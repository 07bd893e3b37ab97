/**
 * One message: a customer's or agent's bubble (a reply with its delivery mark), an image
 * thumbnail, a voice message, location, file or video (media/), or a centred event note. A TPI
 * message's `extra` is shown small under its bubble, as text.
 */
import type { MessageView } from '@elitewebchat/protocol/browser';
import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime, formatTime } from '../ui/format';
import { AuthImage } from './AuthImage';
import { DeliveryMark } from './DeliveryMark';
import { EventNote } from './EventNote';
import { isMediaKind, MediaBody } from './media/MediaBody';
import { MessageText } from './MessageText';

/** `revoked`: the customer took it back (TPI 2024): shown as withdrawn, its text not shown. */
export const MessageItem = memo(function MessageItem({ message, revoked = false }: { message: MessageView; revoked?: boolean }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  if (message.kind === 'event') {
    return (
      <li className="msg-event" data-testid="message" data-message-id={message.id} data-kind="event" data-event={message.event?.event}>
        <EventNote message={message} />
        <time dateTime={new Date(message.createdAt).toISOString()} title={formatDateTime(message.createdAt, lng)}>
          {formatTime(message.createdAt, lng)}
        </time>
      </li>
    );
  }
  const mine = message.sender === 'agent';
  const title =
    formatDateTime(message.createdAt, lng) + (message.clientTime !== null ? ` · ${t('message.clientTime', { time: formatDateTime(message.clientTime, lng) })}` : '');
  const time = (
    <time className="msg-time" dateTime={new Date(message.createdAt).toISOString()} title={title}>
      {formatTime(message.createdAt, lng)}
    </time>
  );
  const bubble = (
    <div className="bubble">
      {message.kind === 'pre' && (
        <span className="pre-tag" data-testid="pre-message-tag">
          {t('message.pre')}
        </span>
      )}
      {revoked ? (
        <span className="msg-revoked" data-testid="message-revoked">
          {t('message.revoked')}
        </span>
      ) : message.kind === 'image' && message.image ? (
        <AuthImage url={message.image.url} name={message.image.name} />
      ) : isMediaKind(message.kind) ? (
        <MediaBody message={message} kind={message.kind} />
      ) : (
        <MessageText text={message.text ?? ''} />
      )}
    </div>
  );
  // What the third party kept with the message (TPI `extra`): text, gone with a withdrawn message.
  const extra = !revoked && message.extra ? message.extra : null;
  return (
    <li
      className={`msg ${mine ? 'msg-out' : 'msg-in'}${message.kind === 'pre' ? ' msg-pre' : ''}`}
      data-testid="message"
      data-message-id={message.id}
      data-kind={message.kind}
      data-sender={message.sender}
    >
      {extra === null ? (
        bubble
      ) : (
        <div className="msg-body">
          {bubble}
          <div className="msg-extra" title={t('message.extra')} data-testid="message-extra">
            {extra}
          </div>
        </div>
      )}
      {mine && message.delivery ? (
        <div className="msg-meta">
          {time}
          <DeliveryMark delivery={message.delivery} />
        </div>
      ) : (
        time
      )}
    </li>
  );
});
