/**
 * Who the customer is and how the chat came: shown above a chat, a transcript or a watched chat.
 * A web chat also shows where the customer is (page, browser, language, form answers); a TPI
 * chat what its third party told (brand, address, browsing trail), and a rating its further answers.
 */
import type { SessionSummary } from '@elitewebchat/protocol/browser';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime, formatDuration } from '../ui/format';
import { SourceAvatar, SourceBadge } from '../ui/SourceAvatar';
import { ContextFacts, RatingExtends } from './ContextFacts';
import { useRatingLabel } from './useRatingLabel';
import { VisitorFacts } from './VisitorFacts';

interface Props {
  session: SessionSummary;
  queueName?: string | undefined;
  agentName?: string | undefined;
  actions?: ReactNode;
}

export function SessionInfo({ session, queueName, agentName, actions }: Props) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const label = useRatingLabel();
  const waited = Math.max(0, session.startedAt - session.requestedAt);
  return (
    <header className="session-info" data-testid="session-info" data-session-id={session.id}>
      <SourceAvatar from={session.from} size={40} />
      <div className="session-who">
        <div className="session-name">
          <strong data-testid="session-nickname">{session.nickname}</strong>
          <SourceBadge from={session.from} />
          {session.status === 'closed' && <span className="tag tag-closed">{t('chat.closed')}</span>}
        </div>
        <dl className="session-facts">
          <dt>{t('session.clientId')}</dt>
          <dd data-testid="session-client-id">{session.clientId}</dd>
          <dt>{t('session.queue')}</dt>
          <dd data-testid="session-queue">{queueName ?? `#${session.queueId}`}</dd>
          <dt>{t('session.waited')}</dt>
          <dd data-testid="session-wait">{formatDuration(waited, t)}</dd>
          <dt>{t('session.started')}</dt>
          <dd>{formatDateTime(session.startedAt, lng)}</dd>
          <dt>{t('session.channel')}</dt>
          <dd data-testid="session-channel" data-channel-kind={session.channelKind}>
            {session.channelId}
            {session.channelKind === 'web' && ` · ${t('session.webChat')}`}
          </dd>
          {agentName !== undefined && (
            <>
              <dt>{t('session.agent')}</dt>
              <dd>{agentName}</dd>
            </>
          )}
          {session.closedAt !== null && (
            <>
              <dt>{t('session.closedAt')}</dt>
              <dd>
                {formatDateTime(session.closedAt, lng)}
                {session.closedBy && ` · ${t(`event.by.${session.closedBy}`)}`}
              </dd>
            </>
          )}
        </dl>
        {session.channelKind === 'web' && session.visitor && <VisitorFacts visitor={session.visitor} />}
        {session.channelKind === 'tpi' && session.context && <ContextFacts context={session.context} />}
      </div>
      <div className="session-side">
        {session.rating ? (
          <div className="rating" data-testid="session-rating" data-rating-id={session.rating.ratingId}>
            <span className="rating-label">{t('session.rating')}</span>{' '}
            <strong data-testid="rating-label" data-rating-id={session.rating.ratingId}>
              {label(session.rating.ratingId)}
            </strong>
            {session.rating.comments && <q className="rating-comment">{session.rating.comments}</q>}
            {session.rating.extends && <RatingExtends values={session.rating.extends} />}
          </div>
        ) : null}
        {actions && <div className="session-actions">{actions}</div>}
      </div>
    </header>
  );
}
