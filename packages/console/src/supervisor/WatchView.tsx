/**
 * Following any open chat read-only: join its feed (`session.watch`), then fetch it and merge by
 * message id, so nothing falls between the fetch and the feed. Again after every reconnect.
 */
import { ServerEvent, type MessageView, type SessionSummary } from '@elitewebchat/protocol/browser';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { supervisorApi } from '../api/supervisor';
import { Link } from '../app/router';
import { useServices } from '../app/services';
import { applyToSession, insertMessage, mergeMessages, mergeSession, summaryOf } from '../chat/merge';
import { SessionInfo } from '../chat/SessionInfo';
import { MessageList } from '../messages/MessageList';
import { withDelivery, withFetchedDeliveries } from '../messages/delivery';
import { ErrorNote, errorMessage } from '../ui/ErrorNote';

interface Watched {
  session: SessionSummary;
  messages: readonly MessageView[];
}

export function WatchView({ sessionId, queueName, agentName }: { sessionId: number; queueName: (id: number) => string; agentName: (id: string) => string }) {
  const { t } = useTranslation();
  const { realtime, watched } = useServices();
  const [data, setData] = useState<Watched | null>(null);
  const [state, setState] = useState<'joining' | 'watching' | 'failed'>('joining');
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let stopped = false;
    setData(null);
    watched.add(sessionId);

    const join = async () => {
      setState('joining');
      const answer = await realtime.watch(sessionId);
      if (stopped) return;
      if (!answer.ok && answer.error !== 'offline') {
        setState('failed');
        setError(answer.error ?? null);
      }
      try {
        const s = await supervisorApi.session(sessionId);
        if (stopped) return;
        setData((d) =>
          d && d.session.id === s.id
            ? { session: mergeSession(d.session, summaryOf(s)), messages: withFetchedDeliveries(mergeMessages(d.messages, s.messages), s.messages) }
            : { session: summaryOf(s), messages: s.messages },
        );
        if (answer.ok) {
          setState('watching');
          setError(null);
        }
      } catch (err) {
        if (!stopped) {
          setState('failed');
          setError(errorMessage(err));
        }
      }
    };

    void join();
    const offs = [
      realtime.onResync(() => void join()),
      realtime.on(ServerEvent.CHAT_MESSAGE, (m) => {
        if (m.sessionId !== sessionId) return;
        setData((d) => {
          if (!d) return d;
          const messages = insertMessage(d.messages, m);
          return messages === d.messages ? d : { session: applyToSession(d.session, m), messages };
        });
      }),
      realtime.on(ServerEvent.MESSAGE_DELIVERY, (e) => {
        if (e.sessionId !== sessionId) return;
        setData((d) => {
          if (!d) return d;
          const messages = withDelivery(d.messages, e.messageId, e.delivery);
          return messages === d.messages ? d : { ...d, messages };
        });
      }),
      realtime.on(ServerEvent.CHAT_CLOSED, (e) => {
        if (e.sessionId !== sessionId) return;
        setData((d) => (d && d.session.status === 'open' ? { ...d, session: { ...d.session, status: 'closed', closedBy: e.by, closedAt: d.session.closedAt ?? Date.now() } } : d));
      }),
    ];
    return () => {
      stopped = true;
      for (const off of offs) off();
      realtime.unwatch(sessionId);
      watched.delete(sessionId);
    };
  }, [sessionId, realtime, watched]);

  return (
    <section className="chat-view watch" data-testid="watch-view" data-session-id={sessionId} data-watch-state={state}>
      <div className="watch-bar">
        <Link to="/supervisor" className="btn btn-small">
          ← {t('watch.back')}
        </Link>
        <span className={`watch-state watch-${state}`} data-testid="watch-state">
          {t(`watch.state.${state}`)}
        </span>
      </div>
      {error && <ErrorNote message={error} />}
      {data ? (
        <>
          <SessionInfo session={data.session} queueName={queueName(data.session.queueId)} agentName={agentName(data.session.agentId)} />
          <MessageList messages={data.messages} testId="watch-messages" />
          <div className="readonly-bar muted">{t('watch.readOnly')}</div>
        </>
      ) : (
        !error && <div className="empty-main muted">{t('common.loading')}</div>
      )}
    </section>
  );
}
