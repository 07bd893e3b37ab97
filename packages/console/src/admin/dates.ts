/**
 * Closed dates and special hours between the API's shape and one text area each: a date
 * ("2026-10-01") or range ("2026-10-02..2026-10-07") per line; a date and its periods per line
 * ("2026-12-24 09:00-12:00 13:00-15:00", "2026-12-27 closed" / "休息" for none).
 */
import { isPeriod } from './hours';

export type DateProblem = 'date' | 'order' | 'period' | 'noPeriods' | 'tooMany' | 'duplicate';

/** A line that cannot be sent: its number (from 1, as seen in the text area), its text, why. */
export interface BadLine {
  line: number;
  text: string;
  problem: DateProblem;
}

/** Words that close a date, in either language. */
export const CLOSED_WORDS = ['closed', '休息'] as const;
/** The API's limit on periods per date. */
const MAX_PERIODS = 12;

/** A real calendar date as "YYYY-MM-DD" (also taking "2026-1-5" and "2026/01/05"), else undefined. */
export function normalizeDate(text: string): string | undefined {
  const m = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$/.exec(text);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const at = new Date(Date.UTC(y, mo - 1, d));
  // 2026-02-30 would roll over into March: not a date.
  if (at.getUTCFullYear() !== y || at.getUTCMonth() !== mo - 1 || at.getUTCDate() !== d) return undefined;
  return at.toISOString().slice(0, 10);
}

/** Non-empty lines, trimmed, with their numbers. */
function lines(text: string): { line: number; text: string }[] {
  return text
    .split(/\r?\n/)
    .map((t, i) => ({ line: i + 1, text: t.trim() }))
    .filter((l) => l.text !== '');
}

export function formatClosedDates(closedDates: readonly string[]): string {
  return closedDates.join('\n');
}

/** The closed dates a text area describes, or its lines that are not a date or a range. */
export function parseClosedDates(text: string): { closedDates: string[]; invalid: BadLine[] } {
  const closedDates: string[] = [];
  const invalid: BadLine[] = [];
  for (const l of lines(text)) {
    const ends = l.text.split(/\s*(?:\.\.|~|～|至)\s*/);
    const [from, to] = ends.map(normalizeDate);
    if (ends.length > 2 || from === undefined || (ends.length === 2 && to === undefined)) invalid.push({ ...l, problem: 'date' });
    else if (to !== undefined && to < from) invalid.push({ ...l, problem: 'order' });
    else closedDates.push(to === undefined || to === from ? from : `${from}..${to}`);
  }
  return { closedDates, invalid };
}

/** How many days the closed dates cover (overlaps once). */
export function closedDayCount(closedDates: readonly string[]): number {
  const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;
  const spans = closedDates
    .map((entry) => entry.split('..'))
    .map(([from = '', to = from]) => [day(from), day(to)] as const)
    .filter(([a, b]) => Number.isFinite(a) && Number.isFinite(b) && a <= b)
    .sort((x, y) => x[0] - y[0]);
  let count = 0;
  let upTo = -Infinity;
  for (const [a, b] of spans) {
    if (b > upTo) count += b - Math.max(a - 1, upTo);
    upTo = Math.max(upTo, b);
  }
  return count;
}

/** One line per date, in date order; a closed date as `closedWord`. */
export function formatSpecialHours(specialHours: Readonly<Record<string, readonly string[]>>, closedWord = 'closed'): string {
  return Object.keys(specialHours)
    .sort()
    .map((date) => {
      const periods = specialHours[date] ?? [];
      return `${date} ${periods.length === 0 ? closedWord : periods.join(' ')}`;
    })
    .join('\n');
}

/** The special hours a text area describes, or its lines that cannot be sent. */
export function parseSpecialHours(text: string): { specialHours: Record<string, string[]>; invalid: BadLine[] } {
  const specialHours: Record<string, string[]> = {};
  const invalid: BadLine[] = [];
  for (const l of lines(text)) {
    const [first = '', ...rest] = l.text.replace(/\s*-\s*(?=\d)/g, '-').split(/[,，;；\s]+/).filter(Boolean);
    const date = normalizeDate(first);
    if (date === undefined) {
      invalid.push({ ...l, problem: 'date' });
      continue;
    }
    const closed = rest.length === 1 && (CLOSED_WORDS as readonly string[]).includes(rest[0]!.toLowerCase());
    const problem: DateProblem | undefined = Object.hasOwn(specialHours, date)
      ? 'duplicate'
      : rest.length === 0
        ? 'noPeriods'
        : !closed && !rest.every(isPeriod)
          ? 'period'
          : rest.length > MAX_PERIODS
            ? 'tooMany'
            : undefined;
    if (problem) invalid.push({ ...l, problem });
    else specialHours[date] = closed ? [] : rest;
  }
  return { specialHours, invalid };
}
