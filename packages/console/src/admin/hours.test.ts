import { describe, expect, it } from 'vitest';
import { hoursToText, isPeriod, textToHours } from './hours';

describe('working hours in the form', () => {
  it('round-trips the API shape', () => {
    const text = hoursToText({ mon: ['09:00-12:00', '13:00-18:00'], sat: ['22:00-02:00'] });
    expect(text.mon).toBe('09:00-12:00, 13:00-18:00');
    expect(text.tue).toBe('');
    expect(textToHours(text)).toEqual({ hours: { mon: ['09:00-12:00', '13:00-18:00'], sat: ['22:00-02:00'] }, invalid: [] });
  });
  it('accepts Chinese commas and spaces, and names the days that are wrong', () => {
    const text = { ...hoursToText(null), mon: '09:00-12:00，13:00-24:00', tue: '9-18', wed: '25:00-26:00' };
    const parsed = textToHours(text);
    expect(parsed.hours.mon).toEqual(['09:00-12:00', '13:00-24:00']);
    expect(parsed.invalid).toEqual(['tue', 'wed']);
  });
});

describe('a period', () => {
  it('is not empty', () => {
    expect(isPeriod('09:00-18:00')).toBe(true);
    expect(isPeriod('22:00-02:00')).toBe(true);
    expect(isPeriod('00:00-24:00')).toBe(true);
    expect(isPeriod('09:00-09:00')).toBe(false);
    expect(isPeriod('24:00-01:00')).toBe(false);
  });
});
