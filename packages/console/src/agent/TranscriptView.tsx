/** A chat's full record, read-only: a closed chat, a search result, anyone's for supervisors. */
import type { SessionView } from '@elitewebchat/protocol/browser';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { agentApi } from '../api/agent';
import { supervisorApi } from '../api/supervisor';
import { navigate } from '../app/router';
import { useServices } from '../app/services';
import { useAuth } from '../auth/auth-store';
import { SessionInfo } from '../chat/SessionInfo';
import { MessageList } from '../messages/MessageList';
import { ErrorNote, errorMessage } from '../ui/ErrorNote';

export function TranscriptView({ sessionId }: { sessionId: number }) {
  const { t } = useTranslation();
  const auth = useAuth();
  const { chats, queues } = useServices();
  const [session, setSession] = useState<SessionView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const role = auth?.agent.role ?? 'agent';
  const myId = auth?.agent.id;

  useEffect(() => {
    let live = true;
    setError(null);
    // Supervisors and admins find everyone's chats; the supervisor API shows any of them.
    const load = role === 'agent' ? agentApi.session(sessionId) : supervisorApi.session(sessionId);
    load.then(
      (s) => live && setSession(s),
      (err: unknown) => live && setError(errorMessage(err)),
    );
    return () => {
      live = false;
    };
  }, [sessionId, role, version]);

  if (error) return <div className="main-pad"><ErrorNote message={error} /></div>;
  if (!session || session.id !== sessionId) return <div className="empty-main muted">{t('common.loading')}</div>;

  const mineAndOpen = session.status === 'open' && session.agentId === myId && chats.chat(session.id) !== undefined;
  const actions = (
    <>
      {mineAndOpen && (
        <button
          type="button"
          className="btn btn-primary"
          onClick={() => {
            chats.setActive(session.id);
            navigate('/agent');
          }}
        >
          {t('transcript.openChat')}
        </button>
      )}
      <button type="button" className="btn" onClick={() => setVersion((v) => v + 1)} data-testid="transcript-refresh">
        {t('common.refresh')}
      </button>
    </>
  );
  return (
    <section className="chat-view transcript" data-testid="transcript-view" data-session-id={session.id}>
      <SessionInfo session={session} queueName={queues.name(session.queueId)} agentName={session.agentId !== myId ? session.agentId : undefined} actions={actions} />
      <MessageList messages={session.messages} testId="transcript-messages" />
      <div className="readonly-bar muted">{t('transcript.readOnly')}</div>
    </section>
  );
}
