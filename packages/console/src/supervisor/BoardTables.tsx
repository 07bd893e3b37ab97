/** The board's tables: queues, agents (who is not responding, what is offered to them), today, open chats (each can be moved). */
import type { Board, BoardAgent, SessionSummary } from '@elitewebchat/protocol/browser';
import { useTranslation } from 'react-i18next';
import { Link } from '../app/router';
import { useRatingLabel } from '../chat/useRatingLabel';
import { formatDuration, formatTime } from '../ui/format';
import { SourceAvatar } from '../ui/SourceAvatar';
import { useNow } from '../ui/useNow';
import { MoveControl } from './AssignControls';

export function QueueTable({ board, fetchedAt }: { board: Board; fetchedAt: number }) {
  const { t } = useTranslation();
  const now = useNow(1_000);
  return (
    <table className="table" data-testid="board-queues">
      <thead>
        <tr>
          <th>{t('board.queue')}</th>
          <th className="num">{t('board.waiting')}</th>
          <th className="num">{t('board.longestWait')}</th>
          <th className="num" title={t('board.estimatedWaitHint')}>
            {t('board.estimatedWait')}
          </th>
          <th className="num">{t('board.agentsOnline')}</th>
          <th>{t('board.load')}</th>
          <th className="num">{t('board.leftMessages')}</th>
        </tr>
      </thead>
      <tbody>
        {board.queues.map((q) => {
          const longest = q.waiting > 0 ? q.longestWaitMs + Math.max(0, now - fetchedAt) : 0;
          const ratio = q.load.capacity > 0 ? q.load.open / q.load.capacity : 0;
          return (
            <tr key={q.id} data-testid="board-queue-row" data-queue-id={q.id}>
              <td>
                {q.name} <span className="muted">#{q.id}</span>
              </td>
              <td className={`num${q.waiting > 0 ? ' warn' : ''}`} data-testid="board-queue-waiting">
                {q.waiting}
              </td>
              <td className="num">{q.waiting > 0 ? formatDuration(longest, t) : '—'}</td>
              <td className="num" data-testid="board-estimate" data-seconds={q.estimatedWaitSeconds ?? ''}>
                {q.estimatedWaitSeconds === null ? '—' : formatDuration(q.estimatedWaitSeconds * 1000, t)}
              </td>
              <td className={`num${q.agentsOnline === 0 ? ' bad' : ''}`}>{q.agentsOnline}</td>
              <td>
                <span className="meter" title={`${q.load.open}/${q.load.capacity}`}>
                  <span className={`meter-fill${ratio >= 1 ? ' full' : ratio >= 0.8 ? ' high' : ''}`} style={{ width: `${Math.min(100, ratio * 100)}%` }} />
                </span>{' '}
                {q.load.open}/{q.load.capacity}
              </td>
              <td className={`num${q.leftMessagesOpen > 0 ? ' warn' : ''}`} data-testid="board-left-messages" data-count={q.leftMessagesOpen}>
                {q.leftMessagesOpen}
              </td>
            </tr>
          );
        })}
        {board.queues.length === 0 && (
          <tr>
            <td colSpan={7} className="muted">
              {t('board.noQueues')}
            </td>
          </tr>
        )}
      </tbody>
    </table>
  );
}

export function AgentTable({ board }: { board: Board }) {
  const { t } = useTranslation();
  const queueName = (id: number) => board.queues.find((q) => q.id === id)?.name ?? `#${id}`;
  return (
    <table className="table" data-testid="board-agents">
      <thead>
        <tr>
          <th>{t('board.agent')}</th>
          <th>{t('board.status')}</th>
          <th className="num">{t('board.openChats')}</th>
          <th className="num">{t('board.offers')}</th>
          <th>{t('board.queues')}</th>
        </tr>
      </thead>
      <tbody>
        {board.agents.map((a) => (
          <tr key={a.id} data-testid="board-agent-row" data-agent-id={a.id} data-status={a.status} data-away-reason={a.awayReason ?? ''}>
            <td>
              {a.alias || a.name} <span className="muted">{a.name !== a.alias ? a.name : ''} ({a.id})</span>
            </td>
            <td>
              <span className={`status-dot status-${a.status}`} /> {t(`status.${a.status}`)}
              {a.awayReason === 'not-responding' && (
                <>
                  {' '}
                  <span className="tag tag-bad" title={t('board.notRespondingHint')} data-testid="board-not-responding">
                    {t('board.notResponding')}
                  </span>
                </>
              )}
            </td>
            <td className={`num${a.openChats >= a.maxChats ? ' warn' : ''}`}>
              {a.openChats}/{a.maxChats}
            </td>
            <td className={`num${a.openOffers > 0 ? ' warn' : ''}`} data-testid="board-agent-offers" data-count={a.openOffers}>
              {a.openOffers}
            </td>
            <td className="small">{a.queueIds.map(queueName).join('、')}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const KNOWN_STATES = ['WAITING', 'ACCEPTED', 'REFUSED', 'TIMEOUT', 'DROPPED', 'NO_AGENT_ONLINE', 'OFF_HOUR', 'CANCELED_BY_CLIENT', 'ENTERPRISE_WECHAT_ACCEPTED'];

export function TodayStats({ board }: { board: Board }) {
  const { t } = useTranslation();
  const label = useRatingLabel();
  const { today } = board;
  const states = Object.entries(today.requestsByState).sort((a, b) => b[1] - a[1]);
  const total = states.reduce((n, [, c]) => n + c, 0);
  const ratings = Object.entries(today.ratings.byRatingId).sort((a, b) => Number(a[0]) - Number(b[0]));
  return (
    <div className="today" data-testid="board-today">
      <div className="stat">
        <span className="stat-label">{t('board.requestsToday')}</span>
        <span className="stat-value" data-testid="board-requests-total">
          {total}
        </span>
      </div>
      <div className="stat">
        <span className="stat-label">{t('board.averageWait')}</span>
        <span className="stat-value" data-testid="board-average-wait">
          {today.averageWaitMs === null ? '—' : formatDuration(today.averageWaitMs, t)}
        </span>
      </div>
      <div className="stat">
        <span className="stat-label">{t('board.ratings')}</span>
        <span className="stat-value" data-testid="board-ratings-count">
          {today.ratings.count}
        </span>
      </div>
      <table className="table table-compact" data-testid="board-states">
        <thead>
          <tr>
            <th>{t('board.finalState')}</th>
            <th className="num">{t('board.count')}</th>
          </tr>
        </thead>
        <tbody>
          {states.map(([state, count]) => (
            <tr key={state} data-state={state}>
              <td>{KNOWN_STATES.includes(state) ? t(`requestState.${state}`) : state}</td>
              <td className="num">{count}</td>
            </tr>
          ))}
          {states.length === 0 && (
            <tr>
              <td colSpan={2} className="muted">
                {t('board.noneToday')}
              </td>
            </tr>
          )}
        </tbody>
      </table>
      <table className="table table-compact" data-testid="board-ratings">
        <thead>
          <tr>
            <th>{t('board.rating')}</th>
            <th className="num">{t('board.count')}</th>
          </tr>
        </thead>
        <tbody>
          {ratings.map(([id, count]) => (
            <tr key={id} data-rating-id={id}>
              <td data-testid="rating-label" data-rating-id={id}>
                {Number.isSafeInteger(Number(id)) ? label(Number(id)) : id}
              </td>
              <td className="num">{count}</td>
            </tr>
          ))}
          {ratings.length === 0 && (
            <tr>
              <td colSpan={2} className="muted">
                {t('board.noneToday')}
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}

export function OpenSessionsTable({
  sessions,
  agents,
  queueName,
  onChanged,
}: {
  sessions: SessionSummary[];
  agents: BoardAgent[];
  queueName: (id: number) => string;
  onChanged: () => void;
}) {
  const { t, i18n } = useTranslation();
  const agentName = (id: string) => {
    const a = agents.find((x) => x.id === id);
    return a ? a.alias || a.name : id;
  };
  return (
    <table className="table" data-testid="board-sessions">
      <thead>
        <tr>
          <th>{t('board.customer')}</th>
          <th>{t('board.queue')}</th>
          <th>{t('board.agent')}</th>
          <th>{t('board.started')}</th>
          <th className="num">{t('session.waited')}</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {sessions.map((s) => (
          <tr key={s.id} data-testid="board-session-row" data-session-id={s.id}>
            <td>
              <span className="cell-with-avatar">
                <SourceAvatar from={s.from} size={22} />
                {s.nickname} <span className="muted small">{s.clientId}</span>
              </span>
            </td>
            <td>{queueName(s.queueId)}</td>
            <td>{agentName(s.agentId)}</td>
            <td>{formatTime(s.startedAt, i18n.language)}</td>
            <td className="num">{formatDuration(s.startedAt - s.requestedAt, t)}</td>
            <td>
              <span className="assign-form">
                <Link to={`/supervisor/watch/${s.id}`} className="btn btn-small" data-testid="watch-button">
                  {t('board.watch')}
                </Link>
                <MoveControl sessionId={s.id} queueId={s.queueId} agentId={s.agentId} agents={agents} onDone={onChanged} />
              </span>
            </td>
          </tr>
        ))}
        {sessions.length === 0 && (
          <tr>
            <td colSpan={6} className="muted">
              {t('board.noOpenSessions')}
            </td>
          </tr>
        )}
      </tbody>
    </table>
  );
}
