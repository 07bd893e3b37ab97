import { describe, expect, it } from 'vitest';
import { isOpenAt, parsePeriod, validateHours } from './hours.js';

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
});
