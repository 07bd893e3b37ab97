import { describe, expect, it } from 'vitest';
import { isOpenAt, parsePeriod, validateDateExceptions, validateHours } from './hours.js';

// 2026-11-23 is a Monday.
const at = (iso: string) => Date.parse(iso);

describe('working hours', () => {
  it('is always open without hours', () => {
    expect(isOpenAt(null, 'Asia/Shanghai', at('2026-11-22T03:00:00Z'))).toBe(true);
  });

  it('reads several periods a day in the queue\'s time zone (Asia/Shanghai is UTC+8)', () => {
    const hours = { mon: ['09:00-12:00', '13:00-18:00'] };
    expect(isOpenAt(hours, 'Asia/Shanghai', at('2026-11-23T01:00:00Z'))).toBe(true); // 09:00 Mon
    expect(isOpenAt(hours, 'Asia/Shanghai', at('2026-11-23T00:59:00Z'))).toBe(false); // 08:59
    expect(isOpenAt(hours, 'Asia/Shanghai', at('2026-11-23T04:30:00Z'))).toBe(false); // 12:30 lunch
    expect(isOpenAt(hours, 'Asia/Shanghai', at('2026-11-23T09:59:00Z'))).toBe(true); // 17:59
    expect(isOpenAt(hours, 'Asia/Shanghai', at('2026-11-23T10:00:00Z'))).toBe(false); // 18:00: end is exclusive
    expect(isOpenAt(hours, 'Asia/Shanghai', at('2026-11-24T02:00:00Z'))).toBe(false); // Tuesday: not listed, closed
  });

  it('runs a period past midnight into the next day, even a day not listed', () => {
    const hours = { sun: ['22:00-02:00'] };
    expect(isOpenAt(hours, 'Asia/Shanghai', at('2026-11-22T14:30:00Z'))).toBe(true); // Sun 22:30
    expect(isOpenAt(hours, 'Asia/Shanghai', at('2026-11-22T17:59:00Z'))).toBe(true); // Mon 01:59
    expect(isOpenAt(hours, 'Asia/Shanghai', at('2026-11-22T18:00:00Z'))).toBe(false); // Mon 02:00
    expect(isOpenAt(hours, 'Asia/Shanghai', at('2026-11-22T13:59:00Z'))).toBe(false); // Sun 21:59
  });

  it('depends on the zone: the same instant is open in one and closed in another', () => {
    const hours = { mon: ['09:00-18:00'] };
    const instant = at('2026-11-23T15:00:00Z'); // 23:00 in Shanghai, 10:00 in New York
    expect(isOpenAt(hours, 'Asia/Shanghai', instant)).toBe(false);
    expect(isOpenAt(hours, 'America/New_York', instant)).toBe(true);
  });

  it('follows daylight saving time (Europe/Berlin switches on 2026-03-29)', () => {
    const hours = { mon: ['09:00-10:00'] };
    expect(isOpenAt(hours, 'Europe/Berlin', at('2026-03-23T08:30:00Z'))).toBe(true); // CET: 09:30
    expect(isOpenAt(hours, 'Europe/Berlin', at('2026-03-30T08:30:00Z'))).toBe(false); // CEST: 10:30
    expect(isOpenAt(hours, 'Europe/Berlin', at('2026-03-30T07:30:00Z'))).toBe(true); // CEST: 09:30
  });

  it('allows 24:00 as an end and rejects malformed periods', () => {
    expect(parsePeriod('00:00-24:00')).toEqual({ start: 0, end: 1440 });
    expect(typeof parsePeriod('9-18')).toBe('string');
    expect(typeof parsePeriod('25:00-26:00')).toBe('string');
    expect(typeof parsePeriod('10:00-10:00')).toBe('string');
    expect(validateHours({ mon: ['09:00-18:00'], funday: ['09:00-10:00'], tue: ['x'] })).toEqual([
      'unknown weekday "funday" (use sun, mon, tue, wed, thu, fri, sat)',
      'tue: "x" is not a period like "09:00-18:00"',
    ]);
  });

  describe('closed dates and special hours', () => {
    const week = { mon: ['09:00-18:00'], tue: ['09:00-18:00'], wed: ['09:00-18:00'], thu: ['09:00-18:00'], fri: ['09:00-18:00'], sun: ['22:00-02:00'] };
    const sh = (local: string) => at(`${local}+08:00`); // a local time in Shanghai

    it('closes whole dates and ranges, both ends included, in the queue\'s zone', () => {
      const ex = { closedDates: ['2026-11-23', '2026-11-25..2026-11-26'] };
      expect(isOpenAt(week, 'Asia/Shanghai', sh('2026-11-23T10:00'), ex)).toBe(false); // Mon, closed
      expect(isOpenAt(week, 'Asia/Shanghai', sh('2026-11-24T10:00'), ex)).toBe(true); // Tue
      expect(isOpenAt(week, 'Asia/Shanghai', sh('2026-11-25T10:00'), ex)).toBe(false); // range start
      expect(isOpenAt(week, 'Asia/Shanghai', sh('2026-11-26T17:59'), ex)).toBe(false); // range end
      expect(isOpenAt(week, 'Asia/Shanghai', sh('2026-11-27T09:00'), ex)).toBe(true); // after it
      // 10:00 on the 23rd in Shanghai is still the 22nd in New York: that zone's date decides.
      expect(isOpenAt({ sun: ['20:00-23:00'] }, 'America/New_York', sh('2026-11-23T10:00'), ex)).toBe(true);
    });

    it('closes a date even for a queue without weekly hours', () => {
      expect(isOpenAt(null, 'Asia/Shanghai', sh('2026-10-01T12:00'), { closedDates: ['2026-10-01'] })).toBe(false);
      expect(isOpenAt(null, 'Asia/Shanghai', sh('2026-10-02T12:00'), { closedDates: ['2026-10-01'] })).toBe(true);
    });

    it('lets special hours win over the week and the closed dates for their date', () => {
      const ex = { closedDates: ['2026-12-24..2026-12-26'], specialHours: { '2026-12-24': ['09:00-12:00'], '2026-12-27': [] } };
      expect(isOpenAt(week, 'Asia/Shanghai', sh('2026-12-24T11:59'), ex)).toBe(true); // special, though closed
      expect(isOpenAt(week, 'Asia/Shanghai', sh('2026-12-24T12:00'), ex)).toBe(false);
      expect(isOpenAt(week, 'Asia/Shanghai', sh('2026-12-25T10:00'), ex)).toBe(false); // closed
      expect(isOpenAt(week, 'Asia/Shanghai', sh('2026-12-27T23:00'), ex)).toBe(false); // a Sunday made closed
    });

    it('runs a period past midnight from the date it starts on', () => {
      // A special night shift on Wednesday the 25th runs into Thursday, which is closed.
      const ex = { closedDates: ['2026-11-26'], specialHours: { '2026-11-25': ['22:00-02:00'] } };
      expect(isOpenAt(week, 'Asia/Shanghai', sh('2026-11-25T23:00'), ex)).toBe(true);
      expect(isOpenAt(week, 'Asia/Shanghai', sh('2026-11-26T01:59'), ex)).toBe(true);
      expect(isOpenAt(week, 'Asia/Shanghai', sh('2026-11-26T02:00'), ex)).toBe(false);
      // Sunday's weekly night shift into a closed Monday.
      expect(isOpenAt(week, 'Asia/Shanghai', sh('2026-11-23T01:00'), { closedDates: ['2026-11-23'] })).toBe(true);
      // A closed Sunday has no night shift to run into Monday.
      expect(isOpenAt(week, 'Asia/Shanghai', sh('2026-11-23T01:00'), { closedDates: ['2026-11-22'] })).toBe(false);
    });

    it('names every malformed date, range and period', () => {
      expect(validateDateExceptions({ closedDates: ['2026-02-30', '2026-10-07..2026-10-02', '2026-10-01..', 'soon'], specialHours: { '2026-13-01': ['9-12'] } })).toEqual([
        'closedDates: "2026-02-30" is not a date like "2026-10-01" or a range like "2026-10-02..2026-10-07"',
        'closedDates: "2026-10-07..2026-10-02" ends before it starts',
        'closedDates: "2026-10-01.." is not a date like "2026-10-01" or a range like "2026-10-02..2026-10-07"',
        'closedDates: "soon" is not a date like "2026-10-01" or a range like "2026-10-02..2026-10-07"',
        'specialHours: "2026-13-01" is not a date like "2026-12-24"',
        'specialHours: 2026-13-01: "9-12" is not a period like "09:00-18:00"',
      ]);
      expect(validateDateExceptions({ closedDates: ['2026-10-01', '2026-10-02..2026-10-07'], specialHours: { '2026-12-24': ['09:00-12:00'] } })).toEqual([]);
    });
  });
});
