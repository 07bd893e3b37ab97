/**
 * Chats offered to me, over the workspace until answered: who, from where, what they typed while
 * waiting (as text, never HTML), a transfer's note, and a countdown to the deadline; Accept opens
 * the chat, Decline takes an optional reason. It never takes the focus: an agent typing in a chat
 * keeps typing; screen readers are told of a new offer through a live region.
 */
import type { OfferView } from '@elitewebchat/protocol/browser';
import { memo, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { navigate, usePath } from '../app/router';
import { useServices } from '../app/services';
import { useStore } from '../app/store';
import { formatCountdown, secondsLeft, type OfferNote } from '../chat/offers-store';
import { VisitorFacts } from '../chat/VisitorFacts';
import { MessageText } from '../messages/MessageText';
import { ConflictText } from '../ui/ConflictText';
import { formatDuration } from '../ui/format';
import { SourceAvatar, SourceBadge } from '../ui/SourceAvatar';
import { useNow } from '../ui/useNow';
import '../styles/routing.css';

export function OfferStack() {
  const { t } = useTranslation();
  const { offers, queues } = useServices();
  const state = useStore(offers.store, (s) => s);
  const path = usePath();
  useStore(queues.store, (s) => s);
  const latest = state.offers[state.offers.length - 1];

  const accept = async (requestId: number) => {
    const result = await offers.accept(requestId);
    if (result.ok && path !== '/agent') navigate('/agent');
  };

  if (state.offers.length === 0 && state.note === null) return null;
  return (
    <section className="offer-stack" aria-label={t('offer.title')} data-testid="offers">
      <p className="visually-hidden" aria-live="assertive">
        {latest ? t('offer.announce', { name: latest.nickname || latest.clientId }) : ''}
      </p>
      {state.note && <OfferNoteLine note={state.note} onDismiss={() => offers.dismissNote()} />}
      {state.offers.map((o) => (
        <OfferCard
          key={o.requestId}
          offer={o}
          queueName={queues.name(o.queueId) ?? `#${o.queueId}`}
          skewMs={state.skewMs}
          busy={state.busy !== null}
          working={state.busy === o.requestId}
          onAccept={(id) => void accept(id)}
          onDecline={(id, reason) => offers.decline(id, reason)}
        />
      ))}
    </section>
  );
}

interface CardProps {
  offer: OfferView;
  queueName: string;
  skewMs: number;
  /** Some answer is under way: one at a time. */
  busy: boolean;
  /** This one is being answered. */
  working: boolean;
  onAccept: (requestId: number) => void;
  onDecline: (requestId: number, reason: string) => Promise<{ ok: boolean }>;
}

export const OfferCard = memo(function OfferCard({ offer: o, queueName, skewMs, busy, working, onAccept, onDecline }: CardProps) {
  const { t } = useTranslation();
  const id = useId();
  const [declining, setDeclining] = useState(false);
  const [reason, setReason] = useState('');
  const name = o.nickname || o.clientId;
  const now = useNow(250);
  const left = secondsLeft(o.deadline, now, skewMs);
  const total = Math.max(1, Math.round((o.deadline - o.offeredAt) / 1000));
  const urgent = left <= Math.min(5, total / 3);

  const decline = async () => {
    const result = await onDecline(o.requestId, reason);
    if (!result.ok) setDeclining(false);
  };

  return (
    <article
      className={`offer-card${urgent ? ' urgent' : ''}`}
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-explain`}
      data-testid="offer-card"
      data-request-id={o.requestId}
      data-queue-id={o.queueId}
    >
      <header className="offer-head">
        <SourceAvatar from={o.from} size={32} />
        <h3 id={`${id}-title`} className="offer-title" data-testid="offer-title">
          {t('offer.card', { name })}
        </h3>
        <span className="offer-countdown" role="timer" aria-label={t('offer.timeLeft')} data-testid="offer-countdown" data-seconds={left}>
          {left > 0 ? formatCountdown(left) : t('offer.timeUp')}
        </span>
      </header>
      <div className="offer-meter" aria-hidden="true">
        <span className="offer-meter-fill" style={{ width: `${Math.min(100, (left / total) * 100)}%` }} />
      </div>
      <dl className="session-facts offer-facts">
        <div>
          <dt>{t('offer.from')}</dt>
          <dd data-testid="offer-from" data-from={o.from}>
            <SourceBadge from={o.from} />
          </dd>
        </div>
        <div>
          <dt>{t('offer.queue')}</dt>
          <dd data-testid="offer-queue">{queueName}</dd>
        </div>
        <div>
          <dt>{t('offer.channel')}</dt>
          <dd data-testid="offer-channel">{o.channelId}</dd>
        </div>
        <div>
          <dt>{t('offer.waited')}</dt>
          <dd>{formatDuration(now - skewMs - o.waitingSince, t)}</dd>
        </div>
      </dl>
      {o.visitor && <VisitorFacts visitor={o.visitor} />}
      {o.transferNote !== null && (
        <p className="offer-transfer-note" data-testid="offer-transfer-note">
          <strong>{t('offer.transferNote')}</strong> {o.transferNote}
        </p>
      )}
      <div className="offer-pre">
        <h4 className="offer-pre-title">{t('offer.preMessages')}</h4>
        {o.preMessages.length === 0 ? (
          <p className="muted small">{t('offer.noPreMessages')}</p>
        ) : (
          <ol className="offer-pre-list" data-testid="offer-pre-messages">
            {o.preMessages.map((m) => (
              <li key={m.id} data-testid="offer-pre-message">
                {m.text !== undefined ? <MessageText text={m.text} /> : t('chat.previewImage')}
              </li>
            ))}
          </ol>
        )}
      </div>
      <p id={`${id}-explain`} className="muted small offer-explain">
        {t('offer.explain')}
      </p>
      {declining ? (
        <form
          className="offer-decline"
          onSubmit={(e) => {
            e.preventDefault();
            void decline();
          }}
        >
          <label className="field">
            <span className="field-label">{t('offer.declineReason')}</span>
            <input
              type="text"
              value={reason}
              maxLength={500}
              placeholder={t('offer.declinePlaceholder')}
              onChange={(e) => setReason(e.target.value)}
              // The agent asked for this field by pressing Decline.
              autoFocus
              data-testid="offer-decline-reason"
            />
          </label>
          <div className="offer-actions">
            <button type="submit" className="btn btn-danger" disabled={busy} data-testid="offer-decline-confirm">
              {working ? t('offer.declining') : t('offer.declineConfirm')}
            </button>
            <button type="button" className="btn" onClick={() => setDeclining(false)} disabled={working} data-testid="offer-decline-back">
              {t('offer.back')}
            </button>
          </div>
        </form>
      ) : (
        <div className="offer-actions">
          <button type="button" className="btn btn-primary" onClick={() => onAccept(o.requestId)} disabled={busy} data-testid="offer-accept">
            {working ? t('offer.accepting') : t('offer.accept')}
          </button>
          <button type="button" className="btn btn-danger-outline" onClick={() => setDeclining(true)} disabled={busy} data-testid="offer-decline">
            {t('offer.decline')}
          </button>
        </div>
      )}
    </article>
  );
});

function OfferNoteLine({ note, onDismiss }: { note: OfferNote; onDismiss: () => void }) {
  const { t } = useTranslation();
  const key = note.action === 'accept' ? 'offer.acceptFailed' : 'offer.declineFailed';
  return (
    <div className="offer-note error-note" role="alert" data-testid="offer-note" data-request-id={note.requestId}>
      <ConflictText message={note.message} code={note.code} frame={(reason) => t(key, { name: note.nickname, reason })} />
      <button type="button" className="link-btn" onClick={onDismiss} aria-label={t('common.dismiss')} data-testid="offer-note-dismiss">
        ×
      </button>
    </div>
  );
}
