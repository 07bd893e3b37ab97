import { describe, expect, it } from 'vitest';
import { closedDayCount, formatClosedDates, formatSpecialHours, normalizeDate, parseClosedDates, parseSpecialHours } from './dates';

describe('dates', () => {
  it('takes only real calendar dates, written out in full', () => {
    expect(normalizeDate('2026-1-5')).toBe('2026-01-05');
    expect(normalizeDate('2028/02/29')).toBe('2028-02-29');
    expect(normalizeDate('2026-02-29')).toBeUndefined();
    expect(normalizeDate('2026-13-01')).toBeUndefined();
    expect(normalizeDate('26-01-01')).toBeUndefined();
  });
});

describe('closed dates in the form', () => {
  it('round-trips the API shape', () => {
    const api = ['2026-10-01', '2026-10-02..2026-10-07'];
    expect(formatClosedDates(api)).toBe('2026-10-01\n2026-10-02..2026-10-07');
    expect(parseClosedDates(formatClosedDates(api))).toEqual({ closedDates: api, invalid: [] });
    expect(parseClosedDates(formatClosedDates([]))).toEqual({ closedDates: [], invalid: [] });
  });
  it('skips blank lines, takes ~ and 至 for ranges, and a one-day range as the date', () => {
    expect(parseClosedDates('\n 2026-1-1 \n\n2026-02-16 ~ 2026-02-20\n2026-05-01至2026-05-05\n2026-06-01..2026-06-01\r\n').closedDates).toEqual([
      '2026-01-01',
      '2026-02-16..2026-02-20',
      '2026-05-01..2026-05-05',
      '2026-06-01',
    ]);
  });
  it('names each bad line by its number, text and problem', () => {
    const parsed = parseClosedDates('2026-10-01\n2026-02-30\n\n2026-10-07..2026-10-02\n2026-10-01..\n1..2..3\nnational day');
    expect(parsed.closedDates).toEqual(['2026-10-01']);
    expect(parsed.invalid).toEqual([
      { line: 2, text: '2026-02-30', problem: 'date' },
      { line: 4, text: '2026-10-07..2026-10-02', problem: 'order' },
      { line: 5, text: '2026-10-01..', problem: 'date' },
      { line: 6, text: '1..2..3', problem: 'date' },
      { line: 7, text: 'national day', problem: 'date' },
    ]);
  });
});

describe('special hours in the form', () => {
  it('round-trips the API shape, one line per date in date order', () => {
    const api = { '2026-12-27': [], '2026-12-24': ['09:00-12:00', '13:00-15:00'], '2026-12-31': ['22:00-02:00'] };
    const text = formatSpecialHours(api);
    expect(text).toBe('2026-12-24 09:00-12:00 13:00-15:00\n2026-12-27 closed\n2026-12-31 22:00-02:00');
    expect(parseSpecialHours(text)).toEqual({ specialHours: api, invalid: [] });
    expect(formatSpecialHours(api, '休息')).toContain('2026-12-27 休息');
    expect(parseSpecialHours(formatSpecialHours(api, '休息')).specialHours).toEqual(api);
  });
  it('takes commas, Chinese separators, spaces around the dash, and Closed in any case', () => {
    expect(parseSpecialHours('2026-12-24，09:00 - 12:00；13:00-24:00,\n2026-12-25  CLOSED').specialHours).toEqual({
      '2026-12-24': ['09:00-12:00', '13:00-24:00'],
      '2026-12-25': [],
    });
  });
  it('names each bad line by its number, text and problem', () => {
    const thirteen = Array.from({ length: 13 }, (_, i) => `${String(i + 10)}:00-${String(i + 10)}:30`).join(' ');
    const parsed = parseSpecialHours(
      ['2026-12-24 09:00-12:00', '2026-12-24 closed', '2026-12-25', '2026-12-26 9-18', '2026-12-27 09:00-09:00', '2026-12-28 closed 09:00-12:00', '2026-02-30 closed', `2026-12-29 ${thirteen}`, '', 'Christmas 09:00-12:00'].join('\n'),
    );
    expect(parsed.specialHours).toEqual({ '2026-12-24': ['09:00-12:00'] });
    expect(parsed.invalid.map((b) => [b.line, b.problem])).toEqual([
      [2, 'duplicate'],
      [3, 'noPeriods'],
      [4, 'period'],
      [5, 'period'],
      [6, 'period'],
      [7, 'date'],
      [8, 'tooMany'],
      [10, 'date'],
    ]);
    expect(parsed.invalid[0]?.text).toBe('2026-12-24 closed');
  });
});

describe('closed days in the queue list', () => {
  it('counts each day once, both ends of a range included', () => {
    expect(closedDayCount([])).toBe(0);
    expect(closedDayCount(['2026-10-01'])).toBe(1);
    expect(closedDayCount(['2026-10-01..2026-10-07', '2026-10-05..2026-10-09', '2026-10-03', '2026-12-31..2027-01-01'])).toBe(11);
    expect(closedDayCount(['2028-02-28..2028-03-01'])).toBe(3);
  });
});
