import type { AdminQueue } from '@elitewebchat/protocol/browser';
import i18next from 'i18next';
import type { ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { I18nextProvider, initReactI18next } from 'react-i18next';
import { describe, expect, it } from 'vitest';
import en from '../i18n/en.json';
import zhCN from '../i18n/zh-CN.json';
import { DatesEditor, DatesSummary, type QueueDates } from './DatesEditor';
import { parseClosedDates, parseSpecialHours } from './dates';

function render(lng: 'en' | 'zh-CN', node: ReactNode): string {
  const i18n = i18next.createInstance();
  void i18n.use(initReactI18next).init({ resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } }, lng, interpolation: { escapeValue: false }, initAsync: false });
  return renderToStaticMarkup(<I18nextProvider i18n={i18n}>{node}</I18nextProvider>);
}

function dates(closedText: string, specialText: string, checked: boolean): QueueDates {
  const closed = parseClosedDates(closedText);
  const special = parseSpecialHours(specialText);
  const nop = () => undefined;
  return { closedText, specialText, setClosedText: nop, setSpecialText: nop, checked, setChecked: nop, closed, special, valid: closed.invalid.length + special.invalid.length === 0 };
}

describe('the dates editor', () => {
  it('names each bad line, in both languages, once checked', () => {
    const bad = dates('2026-10-01\n2026-02-30', '2026-12-24 9-12', true);
    const zh = render('zh-CN', <DatesEditor dates={bad} timezone="Asia/Shanghai" />);
    expect(zh).toContain('data-testid="queue-dates-error"');
    expect(zh).toContain('第 2 行“2026-02-30”');
    expect(zh).toContain('第 1 行“2026-12-24 9-12”：时段应为');
    const english = render('en', <DatesEditor dates={bad} timezone="Asia/Shanghai" />);
    expect(english).toContain('line 2 “2026-02-30”: not a date');
    expect(english).toContain('line 1 “2026-12-24 9-12”: periods must look like');
    expect(render('en', <DatesEditor dates={{ ...bad, checked: false }} timezone="UTC" />)).not.toContain('queue-dates-error');
    expect(render('en', <DatesEditor dates={dates('2026-10-01', '', true)} timezone="UTC" />)).not.toContain('queue-dates-error');
  });
  it('shows the text in both fields', () => {
    const out = render('en', <DatesEditor dates={dates('2026-10-01', '2026-12-27 closed', false)} timezone="UTC" />);
    expect(out).toMatch(/data-testid="queue-closed-dates"[^>]*>2026-10-01</);
    expect(out).toMatch(/data-testid="queue-special-hours"[^>]*>2026-12-27 closed</);
  });
});

describe('the queue list', () => {
  const queue = (closedDates: string[], specialHours: Record<string, string[]>) => ({ closedDates, specialHours }) as AdminQueue;
  it('counts closed days and special days', () => {
    const out = render('en', <DatesSummary queue={queue(['2026-10-01..2026-10-07', '2027-01-01'], { '2026-12-24': ['09:00-12:00'] })} />);
    expect(out).toContain('data-closed-days="8"');
    expect(out).toContain('data-special-days="1"');
    expect(out).toContain('8 closed days');
    expect(out).toContain('1 special day<');
    expect(render('zh-CN', <DatesSummary queue={queue([], { '2026-12-27': [] })} />)).toContain('特殊 1 天');
    expect(render('en', <DatesSummary queue={queue([], {})} />)).toBe('');
  });
});
