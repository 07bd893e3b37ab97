/**
 * Past chats: the latest closed ones, or a search by customer id, nickname or message text
 * (supervisors and admins search everyone's).
 */
import type { SessionSummary } from '@elitewebchat/protocol/browser';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { agentApi } from '../api/agent';
import { Link } from '../app/router';
import { ErrorNote, errorMessage } from '../ui/ErrorNote';
import { formatDateTime } from '../ui/format';
import { SourceAvatar } from '../ui/SourceAvatar';
import { summaryOf } from '../chat/merge';
import { useRatingLabel } from '../chat/useRatingLabel';

const PAGE = 30;

export function HistoryPanel({ selectedId }: { selectedId: number | null }) {
  const { t, i18n } = useTranslation();
  const label = useRatingLabel();
  const [q, setQ] = useState('');
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<SessionSummary[] | null>(null);
  const [recent, setRecent] = useState<SessionSummary[]>([]);
  const [recentDone, setRecentDone] = useState(false);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);

  // Debounce typing.
  useEffect(() => {
    const id = window.setTimeout(() => setQuery(q.trim()), 300);
    return () => window.clearTimeout(id);
  }, [q]);

  useEffect(() => {
    if (!query) {
      setResults(null);
      return;
    }
    const ctl = new AbortController();
    setLoading(true);
    setError(null);
    agentApi
      .search(query, 50, ctl.signal)
      .then((r) => setResults(r))
      .catch((err: unknown) => {
        if (!ctl.signal.aborted) setError(errorMessage(err));
      })
      .finally(() => {
        if (!ctl.signal.aborted) setLoading(false);
      });
    return () => ctl.abort();
  }, [query]);

  const loadRecent = async (before?: number) => {
    setError(null);
    try {
      const page = (await agentApi.closedSessions(PAGE, before)).map(summaryOf);
      setRecent((r) => (before === undefined ? page : [...r, ...page]));
      setRecentDone(page.length < PAGE);
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  useEffect(() => {
    void loadRecent();
  }, []);

  const list = results ?? recent;
  return (
    <section className="history-panel" data-testid="history-panel">
      <input
        type="search"
        className="search-input"
        value={q}
        onChange={(e) => setQ(e.target.value)}
        placeholder={t('search.placeholder')}
        aria-label={t('search.label')}
        maxLength={200}
        data-testid="search-input"
      />
      <p className="muted small pad-x">{results ? (loading ? t('common.loading') : t('search.results', { count: results.length })) : t('search.recent')}</p>
      {error && <ErrorNote message={error} />}
      <ul className="history-list" data-testid={results ? 'search-results' : 'recent-closed'}>
        {list.map((s) => (
          <li key={s.id}>
            <Link
              to={`/agent/history/${s.id}`}
              className={`history-item${s.id === selectedId ? ' active' : ''}`}
              data-testid={results ? 'search-result' : 'history-item'}
              data-session-id={s.id}
            >
              <SourceAvatar from={s.from} size={28} />
              <span className="history-body">
                <span className="history-top">
                  <span className="chat-item-name">{s.nickname}</span>
                  <span className="history-tags">
                    {s.rating && (
                      <span className="tag tag-rating" title={t('session.rating')} data-testid="rating-label" data-rating-id={s.rating.ratingId}>
                        {label(s.rating.ratingId)}
                      </span>
                    )}
                    <span className={`tag${s.status === 'open' ? ' tag-open' : ''}`}>{t(`session.status.${s.status}`)}</span>
                  </span>
                </span>
                <span className="history-sub">
                  {s.clientId} · {formatDateTime(s.startedAt, i18n.language)}
                </span>
              </span>
            </Link>
          </li>
        ))}
        {list.length === 0 && !loading && <li className="muted pad">{results ? t('search.none') : t('search.noRecent')}</li>}
      </ul>
      {!results && !recentDone && recent.length > 0 && (
        <button type="button" className="btn btn-small more-btn" onClick={() => void loadRecent(recent[recent.length - 1]?.id)} data-testid="history-more">
          {t('common.loadMore')}
        </button>
      )}
    </section>
  );
}
