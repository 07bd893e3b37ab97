import type { AdminQueue } from '@elitewebchat/protocol/browser';
import i18next from 'i18next';
import type { ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { I18nextProvider, initReactI18next } from 'react-i18next';
import { describe, expect, it } from 'vitest';
import en from '../i18n/en.json';
import zhCN from '../i18n/zh-CN.json';
import { QueueForm } from './QueuesAdmin';

function render(lng: 'en' | 'zh-CN', node: ReactNode): string {
  const i18n = i18next.createInstance();
  void i18n.use(initReactI18next).init({ resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } }, lng, interpolation: { escapeValue: false }, initAsync: false });
  return renderToStaticMarkup(<I18nextProvider i18n={i18n}>{node}</I18nextProvider>);
}

const queue = (assignment: AdminQueue['assignment']): AdminQueue => ({
  id: 3,
  name: 'Sales',
  timezone: 'Asia/Shanghai',
  hours: null,
  maxWaitSeconds: 600,
  maxLength: 100,
  whenNoAgentOnline: 'wait',
  enabled: true,
  closedDates: [],
  specialHours: {},
  dropAfterSilentSeconds: null,
  assignment,
  offerTimeoutSeconds: 15,
  maxRefusals: 2,
  positionMessage: null,
  agentIds: [],
});

const selected = (html: string) => /data-testid="queue-assignment"[^>]*>(.*?)<\/select>/.exec(html)?.[1]?.match(/<option value="(\w+)" selected=""/)?.[1];
const nop = () => undefined;

describe('the queue form’s assignment', () => {
  it('starts from the queue’s own value (a PUT sends it back), auto for a new queue', () => {
    expect(selected(render('en', <QueueForm queue={queue('manual')} agents={[]} onSaved={nop} onCancel={nop} />))).toBe('manual');
    expect(selected(render('en', <QueueForm queue={queue('auto')} agents={[]} onSaved={nop} onCancel={nop} />))).toBe('auto');
    expect(selected(render('en', <QueueForm queue={null} agents={[]} onSaved={nop} onCancel={nop} />))).toBe('auto');
  });
  it('names both choices in both languages', () => {
    const english = render('en', <QueueForm queue={null} agents={[]} onSaved={nop} onCancel={nop} />);
    expect(english).toContain('Manual (agents take requests)');
    expect(english).toContain('Automatic (routed to the least busy agent)');
    expect(render('zh-CN', <QueueForm queue={null} agents={[]} onSaved={nop} onCancel={nop} />)).toContain('手动（坐席自行接入）');
  });
});
