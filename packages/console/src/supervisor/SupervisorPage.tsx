/** The supervisor's live board (with the waiting requests to assign), and any open chat followed read-only. */
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { matchPath, usePath } from '../app/router';
import { ErrorNote } from '../ui/ErrorNote';
import { WaitingRequestsTable } from './AssignControls';
import { AgentTable, OpenSessionsTable, QueueTable, TodayStats } from './BoardTables';
import { useBoard } from './useBoard';
import { WatchView } from './WatchView';

export function SupervisorPage() {
  const { t } = useTranslation();
  const path = usePath();
  const { board, sessions, requests, fetchedAt, error, refresh } = useBoard();
  const watch = matchPath('/supervisor/watch/:id', path);
  const queueName = useCallback((id: number) => board?.queues.find((q) => q.id === id)?.name ?? `#${id}`, [board]);
  const agentName = useCallback(
    (id: string) => {
      const a = board?.agents.find((x) => x.id === id);
      return a ? `${a.alias || a.name} (${a.id})` : id;
    },
    [board],
  );

  if (watch && Number.isSafeInteger(Number(watch.id))) {
    return (
      <div className="page page-full">
        <WatchView key={watch.id} sessionId={Number(watch.id)} queueName={queueName} agentName={agentName} />
      </div>
    );
  }

  return (
    <div className="page board" data-testid="supervisor-page">
      {error && <ErrorNote message={error} />}
      {!board ? (
        <p className="muted">{t('common.loading')}</p>
      ) : (
        <>
          <section className="card">
            <h2>{t('board.queues')}</h2>
            <QueueTable board={board} fetchedAt={fetchedAt} />
          </section>
          <div className="board-cols">
            <section className="card">
              <h2>{t('board.agents')}</h2>
              <AgentTable board={board} />
            </section>
            <section className="card">
              <h2>{t('board.today')}</h2>
              <TodayStats board={board} />
            </section>
          </div>
          <section className="card">
            <h2>
              {t('assign.requests')} <span className="muted">({requests?.length ?? 0})</span>
            </h2>
            <WaitingRequestsTable requests={requests ?? []} agents={board.agents} queueName={queueName} onChanged={refresh} />
          </section>
          <section className="card">
            <h2>
              {t('board.openSessions')} <span className="muted">({sessions?.length ?? 0})</span>
            </h2>
            <OpenSessionsTable sessions={sessions ?? []} agents={board.agents} queueName={queueName} onChanged={refresh} />
          </section>
        </>
      )}
    </div>
  );
}
