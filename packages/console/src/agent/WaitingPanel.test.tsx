import type { WaitingRequestView } from '@elitewebchat/protocol/browser';
import i18next from 'i18next';
import type { ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { I18nextProvider, initReactI18next } from 'react-i18next';
import { describe, expect, it } from 'vitest';
import en from '../i18n/en.json';
import zhCN from '../i18n/zh-CN.json';
import { WaitingRequestItem } from './WaitingPanel';

function render(lng: 'en' | 'zh-CN', node: ReactNode): string {
  const i18n = i18next.createInstance();
  void i18n.use(initReactI18next).init({ resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } }, lng, interpolation: { escapeValue: false }, initAsync: false });
  return renderToStaticMarkup(<I18nextProvider i18n={i18n}>{node}</I18nextProvider>);
}

const visitor = (pageUrl: string | null, pageTitle: string | null) => ({
  source: 'PC' as const,
  pageUrl,
  pageTitle,
  browser: null,
  language: null,
  fields: {},
  identifiedUserId: null,
});

const request = (over: Partial<WaitingRequestView> = {}): WaitingRequestView => ({
  requestId: 7,
  queueId: 3,
  channelId: 'web',
  clientId: 'c7',
  nickname: 'Wang',
  from: 'PC',
  place: 1,
  waitingSince: 1_000_000,
  preMessages: 2,
  visitor: null,
  ...over,
});

const nop = () => undefined;
const item = (r: WaitingRequestView, extra: { note?: { requestId: number; message: string } | null; taking?: boolean; busy?: boolean } = {}) => (
  <WaitingRequestItem
    request={r}
    queueName="Sales"
    now={1_000_000 + 95_000}
    busy={extra.busy ?? false}
    taking={extra.taking ?? false}
    note={extra.note ?? null}
    onTake={nop}
    onDismiss={nop}
  />
);

describe('a request to take', () => {
  it('shows who, which queue, how long, how many pre-messages, and a Take button, in both languages', () => {
    const out = render('en', item(request()));
    expect(out).toContain('data-testid="waiting-request"');
    expect(out).toContain('data-request-id="7"');
    expect(out).toMatch(/data-testid="waiting-nickname"[^>]*>Wang</);
    expect(out).toMatch(/data-testid="waiting-queue" data-queue-id="3"[^>]*>Sales</);
    expect(out).toMatch(/data-testid="waiting-time"[^>]*>1m 35s</);
    expect(out).toMatch(/data-testid="waiting-pre-messages" data-count="2"[^>]*>2 messages</);
    expect(out).toMatch(/data-testid="take-request"[^>]*>Take</);
    expect(out).not.toContain('visitor-page');
    expect(out).not.toContain('take-note');
    const zh = render('zh-CN', item(request()));
    expect(zh).toMatch(/data-testid="take-request"[^>]*>接入</);
    expect(zh).toMatch(/data-testid="waiting-pre-messages"[^>]*>2 条消息</);
  });

  it('links the web-chat page only when it is http(s)', () => {
    const safe = render('en', item(request({ visitor: visitor('https://shop.example/cart', 'Cart') })));
    expect(safe).toMatch(/data-testid="visitor-page-link"[^>]*>Cart</);
    const bad = render('en', item(request({ visitor: visitor('javascript:alert(1)', null) })));
    expect(bad).not.toContain('visitor-page-link');
    expect(bad).toContain('data-testid="visitor-page-text"');
  });

  it('shows the server’s message when the take failed, and a busy button while taking', () => {
    const out = render('en', item(request(), { note: { requestId: 7, message: 'request 7 was taken by A2 first' } }));
    expect(out).toMatch(/data-testid="take-note" data-request-id="7"/);
    expect(out).toContain('Could not take it: request 7 was taken by A2 first');
    const busy = render('zh-CN', item(request(), { taking: true, busy: true }));
    expect(busy).toMatch(/disabled=""[^>]*data-testid="take-request"[^>]*>接入中…</);
  });

  it('shows the request’s place in its queue, in both languages', () => {
    expect(render('en', item(request({ place: 3 })))).toMatch(/data-testid="waiting-place" data-place="3"[^>]*>No\. 3</);
    expect(render('zh-CN', item(request({ place: 3 })))).toMatch(/data-testid="waiting-place" data-place="3"[^>]*>第 3 位</);
  });

  it('says why a take failed in the console’s language, the server’s message kept as detail', () => {
    const zh = render('zh-CN', item(request(), { note: { requestId: 7, message: 'request 7 was taken by A2 first' } }));
    expect(zh).toMatch(/data-testid="take-reason"[^>]*>已被其他坐席（A2）抢先接入</);
    expect(zh).toContain('未能接入：request 7 was taken by A2 first');
    const en404 = render('en', item(request(), { note: { requestId: 7, message: 'no request 7 in your queues' } }));
    expect(en404).toMatch(/data-testid="take-reason"[^>]*>it is not in your queues</);
    // A message the console does not know: the server's words alone.
    const unknown = render('en', item(request(), { note: { requestId: 7, message: 'Could not reach the server' } }));
    expect(unknown).not.toContain('take-reason');
    expect(unknown).toContain('Could not take it: Could not reach the server');
  });
});
