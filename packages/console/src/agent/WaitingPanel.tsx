/**
 * The To-take tab: requests waiting in my manual queues, oldest first, each with its place and a
 * Take button. A taken one opens as a chat; when someone else was first the reason shows here in
 * our words (the server's message beside it) and the list is fetched again.
 */
import type { WaitingRequestView } from '@elitewebchat/protocol/browser';
import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import { navigate } from '../app/router';
import { useServices } from '../app/services';
import { useStore } from '../app/store';
import { explainConflict } from '../chat/conflicts';
import type { TakeNote } from '../chat/waiting-requests';
import { ErrorNote } from '../ui/ErrorNote';
import { formatDateTime, formatDuration } from '../ui/format';
import { PageLink } from '../ui/PageLink';
import { SourceAvatar } from '../ui/SourceAvatar';
import { useNow } from '../ui/useNow';
import '../styles/routing.css';

export function WaitingPanel() {
  const { t } = useTranslation();
  const { waiting, queues } = useServices();
  const queueList = useStore(queues.store, (s) => s);
  const state = useStore(waiting.store, (s) => s);
  const now = useNow(1_000);
  const list = state.requests;
  // A note about a request no longer listed (someone else took it) shows above the list.
  const looseNote = state.note !== null && !list?.some((r) => r.requestId === state.note?.requestId) ? state.note : null;

  const take = async (requestId: number) => {
    const result = await waiting.take(requestId);
    if (result.ok) navigate('/agent');
  };

  return (
    <section className="waiting-requests" aria-label={t('waiting.title')} data-testid="waiting-panel">
      <p className="muted small pad-x">{t('waiting.explain')}</p>
      {state.error && <ErrorNote message={state.error} />}
      {looseNote && (
        <div className="pad-x">
          <TakeNoteLine note={looseNote} onDismiss={() => waiting.dismissNote()} />
        </div>
      )}
      {list === null ? (
        <p className="muted pad">{t('common.loading')}</p>
      ) : list.length === 0 ? (
        <p className="muted pad" data-testid="waiting-empty">
          {t('waiting.none')}
        </p>
      ) : (
        <ul className="left-list waiting-list" data-testid="waiting-requests">
          {list.map((r) => (
            <WaitingRequestItem
              key={r.requestId}
              request={r}
              queueName={queueList?.find((q) => q.id === r.queueId)?.name ?? `#${r.queueId}`}
              now={now}
              busy={state.taking !== null}
              taking={state.taking === r.requestId}
              note={state.note?.requestId === r.requestId ? state.note : null}
              onTake={(id) => void take(id)}
              onDismiss={() => waiting.dismissNote()}
            />
          ))}
        </ul>
      )}
    </section>
  );
}

interface ItemProps {
  request: WaitingRequestView;
  queueName: string;
  now: number;
  /** Some take is under way: one at a time. */
  busy: boolean;
  taking: boolean;
  note: TakeNote | null;
  onTake: (requestId: number) => void;
  onDismiss: () => void;
}

export const WaitingRequestItem = memo(function WaitingRequestItem({ request: r, queueName, now, busy, taking, note, onTake, onDismiss }: ItemProps) {
  const { t, i18n } = useTranslation();
  const page = r.visitor !== null && (r.visitor.pageUrl !== null || r.visitor.pageTitle !== null) ? r.visitor : null;
  return (
    <li className="left-item waiting-item" data-testid="waiting-request" data-request-id={r.requestId} data-queue-id={r.queueId}>
      <div className="left-top">
        <SourceAvatar from={r.from} size={24} />
        <strong className="left-name" data-testid="waiting-nickname">
          {r.nickname || r.clientId}
        </strong>
        <span
          className="left-time"
          title={`${t('waiting.since')} ${formatDateTime(r.waitingSince, i18n.language)}`}
          data-testid="waiting-time"
          data-waiting-since={r.waitingSince}
        >
          {formatDuration(now - r.waitingSince, t)}
        </span>
      </div>
      <dl className="session-facts">
        <div>
          <dt>{t('waiting.queue')}</dt>
          <dd data-testid="waiting-queue" data-queue-id={r.queueId}>
            {queueName}
          </dd>
        </div>
        <div>
          <dt>{t('waiting.place')}</dt>
          <dd data-testid="waiting-place" data-place={r.place}>
            {t('waiting.placeValue', { place: r.place })}
          </dd>
        </div>
        <div>
          <dt>{t('waiting.preMessages')}</dt>
          <dd data-testid="waiting-pre-messages" data-count={r.preMessages}>
            {t('waiting.preMessagesCount', { count: r.preMessages })}
          </dd>
        </div>
        {page && (
          <div>
            <dt>{t('visitor.page')}</dt>
            <dd className="visitor-page" data-testid="visitor-page">
              <PageLink url={page.pageUrl} title={page.pageTitle} hint={t('visitor.pageHint')} />
            </dd>
          </div>
        )}
      </dl>
      <div className="left-actions">
        <button type="button" className="btn btn-small btn-primary" onClick={() => onTake(r.requestId)} disabled={busy} data-testid="take-request">
          {taking ? t('waiting.taking') : t('waiting.take')}
        </button>
        {note && <TakeNoteLine note={note} onDismiss={onDismiss} />}
      </div>
    </li>
  );
});

function TakeNoteLine({ note, onDismiss }: { note: TakeNote; onDismiss: () => void }) {
  const { t } = useTranslation();
  // Our words first; the server's own message stays as the detail.
  const reason = explainConflict(t, note.message);
  return (
    <div className="take-note error-text small" role="alert" data-testid="take-note" data-request-id={note.requestId}>
      {reason !== null && (
        <strong className="take-reason" data-testid="take-reason">
          {reason}
        </strong>
      )}
      <span className={reason !== null ? 'take-detail' : undefined}>{t('waiting.takeFailed', { message: note.message })}</span>
      <button type="button" className="btn btn-small" onClick={onDismiss} data-testid="take-note-dismiss">
        {t('common.dismiss')}
      </button>
    </div>
  );
}
