/**
 * Weekly working hours in a queue's own time zone. A period may cross midnight
 * ("22:00-02:00" on mon runs from Monday 22:00 to Tuesday 02:00). Absent hours: always open;
 * a day not listed: closed, except for a period of the day before that runs into it.
 *
 * Dates can differ from the week: closed dates (whole days, "2026-10-01" or a range
 * "2026-10-02..2026-10-07", both ends included) and special hours on a date, which win over
 * both the weekly hours and the closed dates for that date. A period belongs to the date it
 * starts on: a special "22:00-02:00" on the 24th runs into the 25th, and Monday's overnight
 * period still runs into a closed Tuesday's first hours.
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

/** Dates that differ from the week, in the queue's time zone. */
export interface DateExceptions {
  /** "YYYY-MM-DD" or "YYYY-MM-DD..YYYY-MM-DD" (both ends included). */
  closedDates?: readonly string[] | null | undefined;
  /** "YYYY-MM-DD" → periods; an empty list closes the date. */
  specialHours?: Readonly<Record<string, readonly string[]>> | null | undefined;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar date "YYYY-MM-DD" as days since 1970-01-01, or undefined. */
function dayNumber(text: string): number | undefined {
  const m = DATE.exec(text);
  if (!m) return undefined;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const back = new Date(ms);
  // 2026-02-30 would roll over to March: not a date.
  if (back.getUTCFullYear() !== Number(m[1]) || back.getUTCMonth() !== Number(m[2]) - 1 || back.getUTCDate() !== Number(m[3])) return undefined;
  return ms / 86_400_000;
}

/** Checks closed dates and special hours; returns the problems found (empty when valid). */
export function validateDateExceptions(exceptions: DateExceptions): string[] {
  const problems: string[] = [];
  for (const entry of exceptions.closedDates ?? []) {
    const [from, to, extra] = entry.split('..');
    const a = from === undefined ? undefined : dayNumber(from);
    const b = to === undefined ? a : dayNumber(to);
    if (extra !== undefined || a === undefined || b === undefined) problems.push(`closedDates: "${entry}" is not a date like "2026-10-01" or a range like "2026-10-02..2026-10-07"`);
    else if (b < a) problems.push(`closedDates: "${entry}" ends before it starts`);
  }
  for (const [date, periods] of Object.entries(exceptions.specialHours ?? {})) {
    if (dayNumber(date) === undefined) problems.push(`specialHours: "${date}" is not a date like "2026-12-24"`);
    for (const p of periods) {
      const parsed = parsePeriod(p);
      if (typeof parsed === 'string') problems.push(`specialHours: ${date}: ${parsed}`);
    }
  }
  return problems;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The local date (as a day number), weekday and minute of the day at `at` in `timeZone`. */
function localTime(at: number, timeZone: string): { date: number; day: number; minute: number } {
  let fmt = formatters.get(timeZone);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, fmt);
  }
  const n: Record<string, number> = {};
  for (const part of fmt.formatToParts(at)) if (part.type !== 'literal') n[part.type] = Number(part.value);
  const date = Date.UTC(n.year!, n.month! - 1, n.day!) / 86_400_000;
  // 1970-01-01 was a Thursday.
  return { date, day: (date + 4) % 7, minute: n.hour! * 60 + n.minute! };
}

function isoDate(dayNo: number): string {
  return new Date(dayNo * 86_400_000).toISOString().slice(0, 10);
}

function isClosedDate(dayNo: number, closedDates: readonly string[]): boolean {
  return closedDates.some((entry) => {
    const [from, to] = entry.split('..');
    const a = from === undefined ? undefined : dayNumber(from);
    const b = to === undefined ? a : dayNumber(to);
    return a !== undefined && b !== undefined && dayNo >= a && dayNo <= b;
  });
}

/** Is the queue open at `at` (ms since epoch)? */
export function isOpenAt(hours: WeeklyHours | null | undefined, timeZone: string, at: number, exceptions: DateExceptions = {}): boolean {
  const closedDates = exceptions.closedDates ?? [];
  const special = exceptions.specialHours ?? {};
  if (!hours && closedDates.length === 0 && Object.keys(special).length === 0) return true;
  const { date, minute } = localTime(at, timeZone);
  /** The periods in force on a date: its special hours, else none when closed, else the week's. */
  const periodsOn = (dayNo: number): Period[] => {
    const iso = isoDate(dayNo);
    const texts = special[iso] ?? (isClosedDate(dayNo, closedDates) ? [] : hours ? (hours[WEEKDAYS[(dayNo + 4) % 7]!] ?? []) : ['00:00-24:00']);
    return texts.map(parsePeriod).filter((p): p is Period => typeof p !== 'string');
  };
  if (periodsOn(date).some((p) => minute >= p.start && minute < p.end)) return true;
  // A period of the day before that runs past midnight.
  return periodsOn(date - 1).some((p) => p.end > 1440 && minute < p.end - 1440);
}
