/** One chat: who, the messages, and the composer; ask for a rating, transfer, close, put away when closed. */
import { memo, useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useServices } from '../app/services';
import { useStore } from '../app/store';
import { closeChat, loadEarlier, requestRating, retryMessage } from '../chat/chat-actions';
import type { PendingMessage } from '../chat/chat-store';
import { SessionInfo } from '../chat/SessionInfo';
import { MessageList } from '../messages/MessageList';
import { ErrorNote, errorMessage } from '../ui/ErrorNote';
import { Composer } from './Composer';
import { CustomerTypingNote } from './CustomerTypingNote';
import { TransferDialog } from './TransferDialog';
import { useReadMark } from './useReadMark';

export const ChatView = memo(function ChatView({ sessionId }: { sessionId: number }) {
  const { t } = useTranslation();
  const { chats, queues } = useServices();
  const entry = useStore(chats.store, (s) => s.chats.get(sessionId));
  const active = useStore(chats.store, (s) => s.activeId === sessionId);
  useStore(queues.store, (s) => s);
  const [error, setError] = useState<string | null>(null);
  const [confirmClose, setConfirmClose] = useState(false);
  const [busy, setBusy] = useState<'rating' | 'close' | null>(null);
  const [transferring, setTransferring] = useState(false);
  useReadMark(sessionId);

  const onRetry = useCallback((p: PendingMessage) => retryMessage(chats, sessionId, p.localId, p.text), [chats, sessionId]);
  const onDiscard = useCallback((p: PendingMessage) => chats.removePending(sessionId, p.localId), [chats, sessionId]);
  const onLoadEarlier = useCallback(async () => {
    try {
      await loadEarlier(chats, sessionId);
    } catch (err) {
      setError(errorMessage(err));
    }
  }, [chats, sessionId]);

  if (!entry) return <div className="empty-main muted">{t('chat.pick')}</div>;
  const { session } = entry;
  const open = session.status === 'open';

  const act = async (what: 'rating' | 'close') => {
    setBusy(what);
    setError(null);
    try {
      if (what === 'rating') await requestRating(chats, sessionId);
      else await closeChat(chats, sessionId);
      setConfirmClose(false);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(null);
    }
  };

  const ratingAsked = entry.messages.some((m) => m.event?.event === 'rating-requested');

  const actions = open ? (
    <>
      <button
        type="button"
        className="btn"
        onClick={() => void act('rating')}
        disabled={busy !== null}
        title={ratingAsked ? t('chat.ratingAgainHint') : undefined}
        data-testid="request-rating"
      >
        {ratingAsked ? t('chat.requestRatingAgain') : t('chat.requestRating')}
      </button>
      <button type="button" className="btn" onClick={() => setTransferring(true)} disabled={busy !== null} title={t('transfer.hint')} data-testid="transfer-chat">
        {t('transfer.button')}
      </button>
      {confirmClose ? (
        <span className="confirm">
          <span>{t('chat.closeConfirm')}</span>
          <button type="button" className="btn btn-danger" onClick={() => void act('close')} disabled={busy !== null} data-testid="close-chat-confirm">
            {t('chat.closeYes')}
          </button>
          <button type="button" className="btn" onClick={() => setConfirmClose(false)} data-testid="close-chat-cancel">
            {t('common.cancel')}
          </button>
        </span>
      ) : (
        <button type="button" className="btn btn-danger-outline" onClick={() => setConfirmClose(true)} data-testid="close-chat">
          {t('chat.close')}
        </button>
      )}
    </>
  ) : (
    <button type="button" className="btn" onClick={() => chats.dismiss(sessionId)} data-testid="dismiss-chat" title={t('chat.dismissHint')}>
      {t('chat.dismiss')}
    </button>
  );

  return (
    <section className="chat-view" data-testid="chat-view" data-session-id={sessionId} data-status={session.status} data-active={active}>
      <SessionInfo session={session} queueName={queues.name(session.queueId)} actions={actions} />
      {error && <ErrorNote message={error} onDismiss={() => setError(null)} />}
      <MessageList
        messages={entry.messages}
        pending={entry.pending}
        onRetry={onRetry}
        onDiscard={onDiscard}
        loadEarlier={entry.hasEarlier ? onLoadEarlier : undefined}
      />
      <CustomerTypingNote sessionId={sessionId} />
      <Composer sessionId={sessionId} disabled={!open} webChat={session.channelKind === 'web'} />
      {transferring && open && <TransferDialog session={session} onClose={() => setTransferring(false)} />}
    </section>
  );
});
