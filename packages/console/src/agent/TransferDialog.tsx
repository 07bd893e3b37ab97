/**
 * Hands an open chat to another agent of my queues (online, with room) or to a queue, with a note
 * for whoever takes it over. On success the chat leaves my list; a refusal (409: not online, no
 * room, the queue closed or unavailable) shows in our words with the server's message.
 */
import type { ColleagueView, SessionSummary } from '@elitewebchat/protocol/browser';
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { createPortal } from 'react-dom';
import { useTranslation } from 'react-i18next';
import { agentApi } from '../api/agent';
import { ApiError } from '../api/http';
import { useServices } from '../app/services';
import { useStore } from '../app/store';
import { ConflictText } from '../ui/ConflictText';
import { errorMessage } from '../ui/ErrorNote';
import '../styles/routing.css';

/** Online, with a free place (an open offer holds one, as the server counts). */
export function hasRoom(c: Pick<ColleagueView, 'status' | 'openChats' | 'openOffers' | 'maxChats'>): boolean {
  return c.status === 'online' && c.openChats + c.openOffers < c.maxChats;
}

/** Those who can take it first, then by name. */
export function orderColleagues(list: readonly ColleagueView[]): ColleagueView[] {
  const label = (c: ColleagueView) => c.alias || c.name;
  return [...list].sort((a, b) => Number(hasRoom(b)) - Number(hasRoom(a)) || label(a).localeCompare(label(b)) || a.id.localeCompare(b.id));
}

interface Failure {
  message: string;
  code: string;
}

export function TransferDialog({ session, onClose }: { session: SessionSummary; onClose: () => void }) {
  const { t } = useTranslation();
  const { chats, queues } = useServices();
  const queueList = useStore(queues.store, (s) => s);
  const id = useId();
  const [kind, setKind] = useState<'agent' | 'queue'>('agent');
  const [colleagues, setColleagues] = useState<ColleagueView[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [agentId, setAgentId] = useState('');
  const [queueId, setQueueId] = useState('');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const dialogRef = useRef<HTMLDivElement>(null);
  const firstRef = useRef<HTMLInputElement>(null);
  const name = session.nickname || session.clientId;

  useEffect(() => {
    let stopped = false;
    agentApi.colleagues().then(
      (list) => !stopped && setColleagues(orderColleagues(list)),
      (error: unknown) => !stopped && setLoadError(errorMessage(error)),
    );
    return () => {
      stopped = true;
    };
  }, []);

  // Focus moves into the dialog, and back to what opened it when it closes.
  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    firstRef.current?.focus();
    return () => opener?.focus();
  }, []);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key === 'Escape') {
      e.stopPropagation();
      onClose();
      return;
    }
    if (e.key !== 'Tab' || !dialogRef.current) return;
    // Tab stays inside the dialog.
    const focusable = [...dialogRef.current.querySelectorAll<HTMLElement>('input, select, textarea, button')].filter((el) => !el.hasAttribute('disabled'));
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    if (!first || !last) return;
    if (e.shiftKey && document.activeElement === first) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    }
  };

  const target = kind === 'agent' ? agentId : queueId;
  const submit = async () => {
    if (!target) return;
    setBusy(true);
    setFailure(null);
    try {
      const trimmed = note.trim();
      await agentApi.transfer(session.id, {
        ...(kind === 'agent' ? { toAgentId: agentId } : { toQueueId: Number(queueId) }),
        ...(trimmed ? { note: trimmed } : {}),
      });
      // It is not mine any more: off my list now (chat.closed follows and finds nothing to close).
      chats.closed(session.id, 'agent');
      chats.dismiss(session.id);
      onClose();
    } catch (error) {
      setFailure({ message: errorMessage(error), code: error instanceof ApiError ? error.code : '' });
      setBusy(false);
    }
  };

  return createPortal(
    <div className="dialog-backdrop" onClick={onClose}>
      <div
        ref={dialogRef}
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby={`${id}-title`}
        data-testid="transfer-dialog"
        data-session-id={session.id}
        onClick={(e) => e.stopPropagation()}
        onKeyDown={onKeyDown}
      >
        <h2 id={`${id}-title`} className="dialog-title">
          {t('transfer.title', { name })}
        </h2>
        <form
          className="dialog-form"
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <fieldset className="transfer-kind">
            <legend className="field-label">{t('transfer.hint')}</legend>
            <label className="check">
              <input ref={firstRef} type="radio" name={`${id}-kind`} checked={kind === 'agent'} onChange={() => setKind('agent')} data-testid="transfer-to-agent" />
              {t('transfer.toAgent')}
            </label>
            <label className="check">
              <input type="radio" name={`${id}-kind`} checked={kind === 'queue'} onChange={() => setKind('queue')} data-testid="transfer-to-queue" />
              {t('transfer.toQueue')}
            </label>
          </fieldset>
          {kind === 'agent' ? (
            <label className="field">
              <span className="field-label">{t('transfer.agent')}</span>
              {loadError ? (
                <span className="error-text small">{loadError}</span>
              ) : colleagues === null ? (
                <span className="muted small">{t('common.loading')}</span>
              ) : colleagues.length === 0 ? (
                <span className="muted small" data-testid="transfer-no-colleagues">
                  {t('transfer.noColleagues')}
                </span>
              ) : (
                <select value={agentId} onChange={(e) => setAgentId(e.target.value)} required data-testid="transfer-agent">
                  <option value="">{t('transfer.pickAgent')}</option>
                  {colleagues.map((c) => (
                    <option key={c.id} value={c.id} disabled={!hasRoom(c)} data-status={c.status}>
                      {t('transfer.agentOption', { name: `${c.alias || c.name} (${c.id})`, status: t(`status.${c.status}`), open: c.openChats, max: c.maxChats })}
                      {c.status === 'online' && !hasRoom(c) ? ` · ${t('transfer.full')}` : ''}
                    </option>
                  ))}
                </select>
              )}
            </label>
          ) : (
            <label className="field">
              <span className="field-label">{t('transfer.queue')}</span>
              <select value={queueId} onChange={(e) => setQueueId(e.target.value)} required data-testid="transfer-queue">
                <option value="">{t('transfer.pickQueue')}</option>
                {(queueList ?? []).map((q) => (
                  <option key={q.id} value={q.id}>
                    {q.name}
                  </option>
                ))}
              </select>
              <span className="field-hint">{t('transfer.queueHint')}</span>
            </label>
          )}
          <label className="field">
            <span className="field-label">{t('transfer.note')}</span>
            <textarea value={note} maxLength={1000} placeholder={t('transfer.notePlaceholder')} onChange={(e) => setNote(e.target.value)} data-testid="transfer-note" />
          </label>
          {failure && (
            <div className="error-note" role="alert" data-testid="transfer-error">
              <ConflictText message={failure.message} code={failure.code} frame={(reason) => t('transfer.failed', { reason })} />
            </div>
          )}
          <div className="dialog-actions">
            <button type="button" className="btn" onClick={onClose} data-testid="transfer-cancel">
              {t('common.cancel')}
            </button>
            <button type="submit" className="btn btn-primary" disabled={busy || !target} data-testid="transfer-submit">
              {busy ? t('transfer.submitting') : t('transfer.submit')}
            </button>
          </div>
        </form>
      </div>
    </div>,
    document.body,
  );
}
