/** The callback delivery log: every callback, its state, and each attempt's answer. */
import { CALLBACK_STATUSES, type CallbackDetail, type CallbackStatus, type CallbacksQuery, type CallbackView } from '@elitewebchat/protocol/browser';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { adminApi } from '../api/admin';
import { ErrorNote, errorMessage } from '../ui/ErrorNote';
import { formatDateTime } from '../ui/format';
import { useLoad } from '../ui/useLoad';

const PAGE = 100;

export function CallbackLog() {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const channels = useLoad(() => adminApi.channels(), []);
  const [status, setStatus] = useState<CallbackStatus | ''>('');
  const [channelId, setChannelId] = useState('');
  const [sessionId, setSessionId] = useState('');
  const [filter, setFilter] = useState<CallbacksQuery>({ limit: PAGE });
  const [rows, setRows] = useState<CallbackView[]>([]);
  const [more, setMore] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [selected, setSelected] = useState<number | null>(null);

  const load = async (f: CallbacksQuery, append: boolean) => {
    setLoading(true);
    setError(null);
    try {
      const page = await adminApi.callbacks(f);
      setRows((r) => (append ? [...r, ...page] : page));
      setMore(page.length >= (f.limit ?? PAGE));
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setLoading(false);
    }
  };

  useEffect(() => {
    void load(filter, false);
  }, [filter]);

  const apply = (e: FormEvent) => {
    e.preventDefault();
    const sid = Number(sessionId);
    setFilter({
      limit: PAGE,
      ...(status ? { status } : {}),
      ...(channelId ? { channelId } : {}),
      ...(sessionId.trim() && Number.isSafeInteger(sid) && sid > 0 ? { sessionId: sid } : {}),
    });
  };

  return (
    <div className="admin-split">
      <section className="card admin-list wide">
        <div className="card-head">
          <h2>{t('admin.callbacks')}</h2>
        </div>
        <form className="filters" onSubmit={apply} data-testid="callback-filters">
          <select value={status} onChange={(e) => setStatus(CALLBACK_STATUSES.find((s) => s === e.target.value) ?? '')} aria-label={t('admin.callback.status')} data-testid="callback-filter-status">
            <option value="">{t('admin.callback.allStates')}</option>
            {CALLBACK_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`admin.callback.state.${s}`)}
              </option>
            ))}
          </select>
          <select value={channelId} onChange={(e) => setChannelId(e.target.value)} aria-label={t('admin.callback.channel')} data-testid="callback-filter-channel">
            <option value="">{t('admin.callback.allChannels')}</option>
            {(channels.data ?? []).map((c) => (
              <option key={c.id} value={c.id}>
                {c.id}
              </option>
            ))}
          </select>
          <input
            value={sessionId}
            onChange={(e) => setSessionId(e.target.value)}
            inputMode="numeric"
            placeholder={t('admin.callback.sessionId')}
            aria-label={t('admin.callback.sessionId')}
            data-testid="callback-filter-session"
          />
          <button type="submit" className="btn btn-small" data-testid="callback-filter-apply">
            {t('common.search')}
          </button>
          <button type="button" className="btn btn-small" onClick={() => setFilter((f) => ({ ...f }))} data-testid="callback-refresh">
            {t('common.refresh')}
          </button>
        </form>
        {error && <ErrorNote message={error} />}
        <table className="table table-click" data-testid="callback-log">
          <thead>
            <tr>
              <th className="num">ID</th>
              <th>{t('admin.callback.created')}</th>
              <th>{t('admin.callback.channel')}</th>
              <th className="num">{t('admin.callback.session')}</th>
              <th>{t('admin.callback.name')}</th>
              <th>{t('admin.callback.status')}</th>
              <th className="num">{t('admin.callback.attempts')}</th>
              <th>{t('admin.callback.lastError')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((c) => (
              <tr
                key={c.id}
                className={c.id === selected ? 'selected' : ''}
                onClick={() => setSelected(c.id)}
                data-testid="callback-row"
                data-callback-id={c.id}
                data-status={c.status}
              >
                <td className="num">{c.id}</td>
                <td className="small">{formatDateTime(c.createdAt, lng)}</td>
                <td>{c.channelId}</td>
                <td className="num">{c.sessionId}</td>
                <td className="mono">{c.name}</td>
                <td>
                  <span className={`tag tag-${c.status}`}>{t(`admin.callback.state.${c.status}`, { defaultValue: c.status })}</span>
                </td>
                <td className="num">{c.attempts}</td>
                <td className="small error-text ellipsis" title={c.lastError ?? ''}>
                  {c.lastError ?? ''}
                </td>
              </tr>
            ))}
            {rows.length === 0 && !loading && (
              <tr>
                <td colSpan={8} className="muted">
                  {t('admin.callback.none')}
                </td>
              </tr>
            )}
          </tbody>
        </table>
        {more && (
          <button type="button" className="btn btn-small more-btn" disabled={loading} onClick={() => void load({ ...filter, before: rows[rows.length - 1]?.id }, true)} data-testid="callback-more">
            {t('common.loadMore')}
          </button>
        )}
      </section>
      {selected !== null && <CallbackDetailView id={selected} onClose={() => setSelected(null)} />}
    </div>
  );
}

function CallbackDetailView({ id, onClose }: { id: number; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const detail = useLoad<CallbackDetail>(() => adminApi.callback(id), [id]);
  const c = detail.data;
  return (
    <section className="card admin-form" data-testid="callback-detail" data-callback-id={id}>
      <div className="card-head">
        <h2>{t('admin.callback.detail', { id })}</h2>
        <button type="button" className="btn btn-small" onClick={onClose}>
          {t('common.close')}
        </button>
      </div>
      {detail.error && <ErrorNote message={detail.error} />}
      {c && (
        <>
          <dl className="facts">
            <dt>URL</dt>
            <dd className="mono">{c.url}</dd>
            <dt>{t('admin.callback.status')}</dt>
            <dd>{t(`admin.callback.state.${c.status}`, { defaultValue: c.status })}</dd>
            <dt>{t('admin.callback.created')}</dt>
            <dd>{formatDateTime(c.createdAt, lng)}</dd>
            {c.deliveredAt !== null ? (
              <>
                <dt>{t('admin.callback.delivered')}</dt>
                <dd>{formatDateTime(c.deliveredAt, lng)}</dd>
              </>
            ) : (
              <>
                <dt>{t('admin.callback.nextAttempt')}</dt>
                <dd>{formatDateTime(c.nextAttemptAt, lng)}</dd>
              </>
            )}
          </dl>
          {c.body !== undefined && (
            <>
              <h3>{t('admin.callback.body')}</h3>
              <pre className="code-block">{prettyJson(c.body)}</pre>
            </>
          )}
          <h3>{t('admin.callback.attemptList')}</h3>
          <table className="table table-compact" data-testid="callback-attempts">
            <thead>
              <tr>
                <th>{t('admin.callback.started')}</th>
                <th className="num">ms</th>
                <th className="num">HTTP</th>
                <th>{t('admin.callback.result')}</th>
              </tr>
            </thead>
            <tbody>
              {c.attempts.map((a) => (
                <tr key={a.id} data-testid="callback-attempt-row">
                  <td className="small">{formatDateTime(a.startedAt, lng)}</td>
                  <td className="num">{a.durationMs ?? '—'}</td>
                  <td className="num">{a.httpStatus ?? '—'}</td>
                  <td className="small">
                    {a.error && <div className="error-text">{a.error}</div>}
                    {a.response && <pre className="code-block small">{a.response}</pre>}
                  </td>
                </tr>
              ))}
              {c.attempts.length === 0 && (
                <tr>
                  <td colSpan={4} className="muted">
                    {t('admin.callback.noAttempts')}
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
