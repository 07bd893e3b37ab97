/**
 * The Left-messages tab: messages customers left outside hours in my queues, newest first, the
 * ones to handle by default and the handled ones on request. Kept current by the live feed.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useServices } from '../app/services';
import { useStore } from '../app/store';
import { ErrorNote } from '../ui/ErrorNote';
import { LeftMessageItem } from './LeftMessageItem';

type Filter = 'open' | 'handled';

export function LeftMessagesPanel() {
  const { t } = useTranslation();
  const { leftMessages } = useServices();
  const state = useStore(leftMessages.store, (s) => s);
  const [filter, setFilter] = useState<Filter>('open');

  useEffect(() => {
    leftMessages.showHandled(filter === 'handled');
    return () => leftMessages.showHandled(false);
  }, [filter, leftMessages]);

  const list = filter === 'open' ? state.open : state.handled;
  return (
    <section className="left-messages" aria-label={t('leftMessages.title')} data-testid="left-messages-panel">
      <div className="left-filter pad-x">
        <label className="small muted">
          {t('leftMessages.filter')}{' '}
          <select value={filter} onChange={(e) => setFilter(e.target.value === 'handled' ? 'handled' : 'open')} data-testid="left-messages-filter">
            <option value="open">{t('leftMessages.open')}</option>
            <option value="handled">{t('leftMessages.handled')}</option>
          </select>
        </label>
      </div>
      <p className="muted small pad-x">{t('leftMessages.explain')}</p>
      {state.error && <ErrorNote message={state.error} />}
      {list === null ? (
        <p className="muted pad">{t('common.loading')}</p>
      ) : list.length === 0 ? (
        <p className="muted pad" data-testid="left-messages-empty">
          {filter === 'open' ? t('leftMessages.none') : t('leftMessages.noneHandled')}
        </p>
      ) : (
        <ul className="left-list" data-testid="left-messages" data-filter={filter}>
          {list.map((m) => (
            <LeftMessageItem key={m.id} message={m} />
          ))}
        </ul>
      )}
    </section>
  );
}
