import type { OfferView } from '@elitewebchat/protocol/browser';
import i18next from 'i18next';
import type { ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { I18nextProvider, initReactI18next } from 'react-i18next';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import en from '../i18n/en.json';
import zhCN from '../i18n/zh-CN.json';
import { OfferCard } from './OfferStack';

function render(lng: 'en' | 'zh-CN', node: ReactNode): string {
  const i18n = i18next.createInstance();
  void i18n.use(initReactI18next).init({ resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } }, lng, interpolation: { escapeValue: false }, initAsync: false });
  return renderToStaticMarkup(<I18nextProvider i18n={i18n}>{node}</I18nextProvider>);
}

const NOW = 1_800_000_000_000;

const offer = (over: Partial<OfferView> = {}): OfferView => ({
  requestId: 7,
  queueId: 3,
  channelId: 'wechat',
  clientId: 'wx-7',
  nickname: '陈女士',
  from: 'WECHAT',
  waitingSince: NOW - 65_000,
  offeredAt: NOW - 3_000,
  deadline: NOW + 17_000,
  visitor: null,
  preMessages: [{ id: 40, sessionId: null, sender: 'customer', kind: 'pre', text: '<img src=x onerror=alert(1)> 想咨询退货', createdAt: NOW - 60_000, clientTime: null }],
  transferNote: null,
  ...over,
});

const card = (o: OfferView, skewMs = 0) => (
  <OfferCard offer={o} queueName="售后服务" skewMs={skewMs} busy={false} working={false} onAccept={() => undefined} onDecline={async () => ({ ok: true })} />
);

describe('an offered chat', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(NOW);
  });
  afterEach(() => vi.useRealTimers());

  it('shows who, from where, which queue, what they typed (as text), the time left and both answers', () => {
    const out = render('zh-CN', card(offer()));
    expect(out).toMatch(/<article[^>]*aria-labelledby="([^"]+)-title"[^>]*data-testid="offer-card" data-request-id="7"/);
    expect(out).toMatch(/data-testid="offer-title"[^>]*>新会话：陈女士</);
    expect(out).toMatch(/data-testid="offer-from" data-from="WECHAT"><span class="source-badge source-wechat">微信</);
    expect(out).toMatch(/data-testid="offer-queue">售后服务</);
    expect(out).toMatch(/role="timer" aria-label="剩余应答时间" data-testid="offer-countdown" data-seconds="17">0:17</);
    // The customer's text is text: escaped, never markup.
    expect(out).toContain('&lt;img src=x onerror=alert(1)&gt; 想咨询退货');
    expect(out).not.toContain('<img src=x');
    expect(out).toMatch(/<button type="button" class="btn btn-primary"[^>]*data-testid="offer-accept">接受</);
    expect(out).toMatch(/data-testid="offer-decline">拒绝</);
    expect(out).not.toContain('offer-transfer-note');
  });

  it('counts by the server’s clock, says when the time is up, and shows a transfer’s note', () => {
    // This browser runs 2 minutes fast: still 17 seconds left.
    vi.setSystemTime(NOW + 120_000);
    expect(render('en', card(offer(), 120_000))).toMatch(/data-seconds="17">0:17</);
    vi.setSystemTime(NOW + 30_000);
    const late = render('en', card(offer({ transferNote: 'VIP, refund approved', preMessages: [] })));
    expect(late).toMatch(/data-seconds="0">Time is up</);
    expect(late).toContain('class="offer-card urgent"');
    expect(late).toMatch(/data-testid="offer-transfer-note"><strong>Transfer note<\/strong> VIP, refund approved</);
    expect(late).toContain('Nothing sent yet');
  });
});
