/** Working hours between the API's shape and one text field per weekday. */
import { WEEKDAYS, type Weekday, type WeeklyHours } from '@elitewebchat/protocol/browser';

export type HoursText = Record<Weekday, string>;

const PERIOD = /^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$|^([01]\d|2[0-3]):[0-5]\d-24:00$/;

/** "HH:MM-HH:MM" as the server takes it: ends up to 24:00, not empty; an end before the start runs past midnight. */
export function isPeriod(p: string): boolean {
  return PERIOD.test(p) && p.slice(0, 5) !== p.slice(6);
}

export function hoursToText(hours: WeeklyHours): HoursText {
  const out = {} as HoursText;
  for (const d of WEEKDAYS) out[d] = hours?.[d]?.join(', ') ?? '';
  return out;
}

/** The hours a form describes, or the days whose text is not a list of HH:MM-HH:MM periods. */
export function textToHours(text: HoursText): { hours: NonNullable<WeeklyHours>; invalid: Weekday[] } {
  const hours: NonNullable<WeeklyHours> = {};
  const invalid: Weekday[] = [];
  for (const d of WEEKDAYS) {
    const periods = text[d]
      .split(/[,，;；\s]+/)
      .map((p) => p.trim())
      .filter(Boolean);
    if (periods.length === 0) continue;
    if (periods.some((p) => !isPeriod(p))) invalid.push(d);
    else hours[d] = periods;
  }
  return { hours, invalid };
}
