/**
 * Weekly working hours in a queue's own time zone. A period may cross midnight
 * ("22:00-02:00" on mon runs from Monday 22:00 to Tuesday 02:00). Absent hours: always open;
 * a day not listed: closed, except for a period of the day before that runs into it.
 */

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
export type WeeklyHours = Partial<Record<Weekday, string[]>>;

export interface Period {
  /** Minutes after the day's midnight. */
  start: number;
  /** Minutes after the day's midnight; above 1440 when the period runs into the next day. */
  end: number;
}

const PERIOD = /^([01]\d|2[0-4]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$/;

/** Parses "HH:MM-HH:MM"; returns an error message for anything else. */
export function parsePeriod(text: string): Period | string {
  const m = PERIOD.exec(text.trim());
  if (!m) return `"${text}" is not a period like "09:00-18:00"`;
  const start = Number(m[1]) * 60 + Number(m[2]);
  let end = Number(m[3]) * 60 + Number(m[4]);
  if (start >= 1440 || end > 1440) return `"${text}": hours run from 00:00 to 24:00`;
  if (end === start) return `"${text}" is empty`;
  if (end < start) end += 1440;
  return { start, end };
}

/** Checks a whole week; returns the problems found (empty when valid). */
export function validateHours(hours: unknown): string[] {
  if (hours === null || hours === undefined) return [];
  if (typeof hours !== 'object' || Array.isArray(hours)) return ['hours must be a map of weekday to periods'];
  const problems: string[] = [];
  for (const [day, periods] of Object.entries(hours)) {
    if (!(WEEKDAYS as readonly string[]).includes(day)) problems.push(`unknown weekday "${day}" (use ${WEEKDAYS.join(', ')})`);
    else if (!Array.isArray(periods)) problems.push(`${day}: a list of periods is expected`);
    else for (const p of periods) {
      const parsed = typeof p === 'string' ? parsePeriod(p) : `${day}: "${String(p)}" is not a string`;
      if (typeof parsed === 'string') problems.push(`${day}: ${parsed}`);
    }
  }
  return problems;
}

export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function localWeekMinute(at: number, timeZone: string): { day: number; minute: number } {
  let fmt = formatters.get(timeZone);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, fmt);
  }
  let day = 0;
  let hour = 0;
  let minute = 0;
  for (const part of fmt.formatToParts(at)) {
    if (part.type === 'weekday') day = WEEKDAYS.indexOf(part.value.toLowerCase().slice(0, 3) as Weekday);
    else if (part.type === 'hour') hour = Number(part.value);
    else if (part.type === 'minute') minute = Number(part.value);
  }
  return { day, minute: hour * 60 + minute };
}

/** Is the queue open at `at` (ms since epoch)? */
export function isOpenAt(hours: WeeklyHours | null | undefined, timeZone: string, at: number): boolean {
  if (!hours) return true;
  const { day, minute } = localWeekMinute(at, timeZone);
  const periodsOf = (d: number) =>
    (hours[WEEKDAYS[(d + 7) % 7]!] ?? []).map(parsePeriod).filter((p): p is Period => typeof p !== 'string');
  if (periodsOf(day).some((p) => minute >= p.start && minute < p.end)) return true;
  // A period of yesterday that runs past midnight.
  return periodsOf(day - 1).some((p) => p.end > 1440 && minute < p.end - 1440);
}
