/** The queues this agent serves and how many customers wait in each, live. */
import { useTranslation } from 'react-i18next';
import { useServices } from '../app/services';
import { useStore } from '../app/store';

export function QueuePanel() {
  const { t } = useTranslation();
  const { queues } = useServices();
  const list = useStore(queues.store, (s) => s);
  return (
    <section className="queue-panel" aria-label={t('queues.title')} data-testid="queue-panel">
      <h2 className="panel-title">{t('queues.title')}</h2>
      {list === null ? (
        <p className="muted small">{t('common.loading')}</p>
      ) : list.length === 0 ? (
        <p className="muted small">{t('queues.none')}</p>
      ) : (
        <ul className="queue-counts">
          {list.map((q) => (
            <li key={q.id} data-testid="queue-count" data-queue-id={q.id} data-waiting={q.waiting} className={q.waiting > 0 ? 'has-waiting' : ''}>
              <span className="queue-name">{q.name}</span>
              <span className="queue-waiting" title={t('queues.waiting')}>
                {t('queues.waitingCount', { count: q.waiting })}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
