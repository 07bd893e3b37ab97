/** The words for a session event: rating asked for, rated, customer id changed, closed. */
import type { MessageView, SessionEventView } from '@elitewebchat/protocol/browser';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';

export function eventText(event: SessionEventView | undefined, t: TFunction): string {
  if (!event) return t('event.unknown');
  switch (event.event) {
    case 'rating-requested':
      return t('event.ratingRequested');
    case 'rated':
      return t('event.rated', { rating: event.ratingId });
    case 'client-changed':
      return t('event.clientChanged', { from: event.from, to: event.to });
    case 'closed':
      return t(`event.closedBy.${event.by}`);
  }
}

export function EventNote({ message }: { message: MessageView }) {
  const { t } = useTranslation();
  const e = message.event;
  if (e?.event === 'rated') {
    return (
      <span data-testid="rating-note">
        {eventText(e, t)}
        {e.comments && <q className="rating-comment">{e.comments}</q>}
      </span>
    );
  }
  return <span>{eventText(e, t)}</span>;
}
