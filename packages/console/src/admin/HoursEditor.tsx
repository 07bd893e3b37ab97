/** Weekly hours: always open, or periods per weekday ("09:00-12:00, 13:00-18:00"; empty: closed). */
import { WEEKDAYS, type Weekday } from '@elitewebchat/protocol/browser';
import { useTranslation } from 'react-i18next';
import type { HoursText } from './hours';

interface Props {
  alwaysOpen: boolean;
  text: HoursText;
  invalid: readonly Weekday[];
  onAlwaysOpen: (v: boolean) => void;
  onText: (day: Weekday, value: string) => void;
}

export function HoursEditor({ alwaysOpen, text, invalid, onAlwaysOpen, onText }: Props) {
  const { t } = useTranslation();
  return (
    <fieldset className="hours-editor" data-testid="hours-editor">
      <legend>{t('admin.queue.hours')}</legend>
      <label className="check">
        <input type="checkbox" checked={alwaysOpen} onChange={(e) => onAlwaysOpen(e.target.checked)} data-testid="hours-always-open" />
        {t('admin.queue.alwaysOpen')}
      </label>
      {!alwaysOpen && (
        <>
          <p className="field-hint">{t('admin.queue.hoursHint')}</p>
          <div className="hours-grid">
            {WEEKDAYS.map((d) => (
              <label key={d} className={`hours-day${invalid.includes(d) ? ' invalid' : ''}`}>
                <span>{t(`weekday.${d}`)}</span>
                <input
                  value={text[d]}
                  onChange={(e) => onText(d, e.target.value)}
                  placeholder={t('admin.queue.closedDay')}
                  aria-invalid={invalid.includes(d)}
                  data-testid={`hours-${d}`}
                />
              </label>
            ))}
          </div>
        </>
      )}
    </fieldset>
  );
}
