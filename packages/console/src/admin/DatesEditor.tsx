/** Holidays and special days of a queue: closed dates and special hours, one line each. */
import type { AdminQueue } from '@elitewebchat/protocol/browser';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { closedDayCount, formatClosedDates, formatSpecialHours, parseClosedDates, parseSpecialHours, type BadLine } from './dates';

/** The form's state for both text areas, starting from the queue's own values (a PUT replaces them). */
export function useQueueDates(queue: AdminQueue | null) {
  const { t } = useTranslation();
  const [closedText, setClosedText] = useState(() => formatClosedDates(queue?.closedDates ?? []));
  const [specialText, setSpecialText] = useState(() => formatSpecialHours(queue?.specialHours ?? {}, t('admin.queue.closedWord')));
  /** Errors show once a text area was left or a save tried, then follow the typing. */
  const [checked, setChecked] = useState(false);
  const closed = useMemo(() => parseClosedDates(closedText), [closedText]);
  const special = useMemo(() => parseSpecialHours(specialText), [specialText]);
  return {
    closedText,
    specialText,
    setClosedText,
    setSpecialText,
    checked,
    setChecked,
    closed,
    special,
    valid: closed.invalid.length === 0 && special.invalid.length === 0,
  };
}

export type QueueDates = ReturnType<typeof useQueueDates>;

export function DatesEditor({ dates, timezone }: { dates: QueueDates; timezone: string }) {
  const { t } = useTranslation();
  const show = dates.checked && !dates.valid;
  const badClosed = dates.checked && dates.closed.invalid.length > 0;
  const badSpecial = dates.checked && dates.special.invalid.length > 0;
  return (
    <fieldset className="dates-editor">
      <legend>{t('admin.queue.dates')}</legend>
      <p className="field-hint">{t('admin.queue.datesHint', { tz: timezone })}</p>
      <div className="dates-grid">
        <label className="field">
          <span className="field-label">{t('admin.queue.closedDates')}</span>
          <textarea
            value={dates.closedText}
            onChange={(e) => dates.setClosedText(e.target.value)}
            onBlur={() => dates.setChecked(true)}
            rows={5}
            className={`mono${badClosed ? ' invalid' : ''}`}
            placeholder={'2026-10-01\n2026-10-02..2026-10-07'}
            aria-invalid={badClosed}
            data-testid="queue-closed-dates"
          />
          <span className="field-hint">{t('admin.queue.closedDatesHint')}</span>
        </label>
        <label className="field">
          <span className="field-label">{t('admin.queue.specialHours')}</span>
          <textarea
            value={dates.specialText}
            onChange={(e) => dates.setSpecialText(e.target.value)}
            onBlur={() => dates.setChecked(true)}
            rows={5}
            className={`mono${badSpecial ? ' invalid' : ''}`}
            placeholder={`2026-12-24 09:00-12:00 13:00-15:00\n2026-12-27 ${t('admin.queue.closedWord')}`}
            aria-invalid={badSpecial}
            data-testid="queue-special-hours"
          />
          <span className="field-hint">{t('admin.queue.specialHoursHint')}</span>
        </label>
      </div>
      {show && (
        <div className="error-note dates-error" role="alert" data-testid="queue-dates-error">
          <BadLines title={t('admin.queue.badClosedDates')} lines={dates.closed.invalid} />
          <BadLines title={t('admin.queue.badSpecialHours')} lines={dates.special.invalid} />
        </div>
      )}
    </fieldset>
  );
}

function BadLines({ title, lines }: { title: string; lines: readonly BadLine[] }) {
  const { t } = useTranslation();
  if (lines.length === 0) return null;
  return (
    <div>
      {title}
      <ul>
        {lines.map((l) => (
          <li key={l.line} data-line={l.line}>
            {t('admin.queue.badLine', { line: l.line, text: l.text, problem: t(`admin.queue.dateProblem.${l.problem}`) })}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** In the queue list: how many days its closed dates cover and how many special days it has. */
export function DatesSummary({ queue }: { queue: AdminQueue }) {
  const { t } = useTranslation();
  const closed = closedDayCount(queue.closedDates);
  const special = Object.keys(queue.specialHours).length;
  if (queue.closedDates.length === 0 && special === 0) return null;
  const title = [formatClosedDates(queue.closedDates), formatSpecialHours(queue.specialHours, t('admin.queue.closedWord'))].filter(Boolean).join('\n');
  return (
    <span className="dates-summary" title={title} data-testid="admin-queue-dates" data-closed-days={closed} data-special-days={special}>
      {closed > 0 && <span className="tag">{t('admin.queue.closedCount', { count: closed })}</span>}
      {special > 0 && <span className="tag">{t('admin.queue.specialCount', { count: special })}</span>}
    </span>
  );
}
