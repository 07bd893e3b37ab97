/** The words for a session event: rating asked for, rated, customer id changed, closed, transferred. */
import type { MessageView, SessionEventView } from '@elitewebchat/protocol/browser';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { useRatingLabel } from '../chat/useRatingLabel';

/** `ratingLabel` names a rating id (the scale's label); without it the bare number is shown. */
export function eventText(event: SessionEventView | undefined, t: TFunction, ratingLabel: (ratingId: number) => string = String): string {
  if (!event) return t('event.unknown');
  switch (event.event) {
    case 'rating-requested':
      return t('event.ratingRequested');
    case 'rated':
      return t('event.rated', { rating: ratingLabel(event.ratingId) });
    case 'client-changed':
      return t('event.clientChanged', { from: event.from, to: event.to });
    case 'closed':
      return t(`event.closedBy.${event.by}`);
    case 'revoked':
      return t('event.revoked');
    case 'notice':
      return event.noticeType === 1 ? t('event.trackChanged', { notice: event.notice }) : t('event.notice', { notice: event.notice });
    case 'transferred': {
      const moved = event.toAgentId !== null
        ? t('event.transferredToAgent', { by: event.by, from: event.from, to: event.toAgentId })
        : t('event.transferredToQueue', { by: event.by, from: event.from, queue: event.toQueueId });
      return event.note ? `${moved}. ${t('event.transferNote', { note: event.note })}` : moved;
    }
  }
}

export function EventNote({ message }: { message: MessageView }) {
  const { t } = useTranslation();
  const label = useRatingLabel();
  const e = message.event;
  if (e?.event === 'rated') {
    return (
      <span data-testid="rating-note" data-rating-id={e.ratingId}>
        {eventText(e, t, label)}
        {e.comments && <q className="rating-comment">{e.comments}</q>}
      </span>
    );
  }
  return <span>{eventText(e, t, label)}</span>;
}
