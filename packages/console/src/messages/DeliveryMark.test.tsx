import type { AgentRole, DeliveryView, LoginAnswer } from '@elitewebchat/protocol/browser';
import i18next from 'i18next';
import { renderToStaticMarkup } from 'react-dom/server';
import { I18nextProvider, initReactI18next } from 'react-i18next';
import { afterEach, describe, expect, it } from 'vitest';
import { authStore } from '../auth/auth-store';
import en from '../i18n/en.json';
import zhCN from '../i18n/zh-CN.json';
import { DeliveryMark } from './DeliveryMark';

function render(delivery: DeliveryView, lng: 'en' | 'zh-CN' = 'en'): string {
  const i18n = i18next.createInstance();
  void i18n.use(initReactI18next).init({ resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } }, lng, interpolation: { escapeValue: false }, initAsync: false });
  return renderToStaticMarkup(
    <I18nextProvider i18n={i18n}>
      <DeliveryMark delivery={delivery} />
    </I18nextProvider>,
  );
}

function loggedInAs(role: AgentRole): void {
  authStore.loggedIn({ token: 't', expiresAt: Date.now() + 60_000, agent: { role } } as unknown as LoginAnswer);
}

const mark = (over: Partial<DeliveryView>): DeliveryView => ({ state: 'sent', attempts: 0, lastError: null, callbackId: null, ...over });
const failed = mark({ state: 'failed', attempts: 7, lastError: 'HTTP 500', callbackId: 12 });

afterEach(() => authStore.clear());

describe('DeliveryMark', () => {
  it('names each state, with the attempts and the last error while it is not delivered', () => {
    loggedInAs('agent');
    expect(render(mark({ callbackId: 3 }))).toContain('data-state="sent"');
    expect(render(mark({ state: 'delivered', attempts: 1, callbackId: 3 }))).toContain('<span class="delivery-name">Delivery: Delivered. The customer&#x27;s side has it</span>');
    expect(render(mark({ state: 'read' }))).toContain('title="Delivery: Read. The customer has seen it"');
    const retrying = render(mark({ state: 'retrying', attempts: 3, lastError: 'timed out', callbackId: 3 }));
    expect(retrying).toContain('data-state="retrying"');
    expect(retrying).toContain('3 attempts; last error: timed out');
    expect(retrying).toContain('Retrying (3)');
    expect(render(failed)).toContain('Delivery: Not delivered. The customer&#x27;s side never took it; a supervisor can send it again; 7 attempts; last error: HTTP 500');
    expect(render(failed, 'zh-CN')).toContain('送达状态：未送达。客户一方始终未收下；主管可以重新投递；已尝试 7 次；最近错误：HTTP 500');
  });

  it('offers Redeliver on a failed reply to supervisors and admins only', () => {
    loggedInAs('agent');
    expect(render(failed)).not.toContain('data-testid="redeliver"');
    for (const role of ['supervisor', 'admin'] as const) {
      loggedInAs(role);
      expect(render(failed)).toContain('data-testid="redeliver"');
      expect(render(failed, 'zh-CN')).toContain('重新投递');
      // Only a failed one, and only one that has a callback to send.
      expect(render(mark({ state: 'retrying', attempts: 2, lastError: 'HTTP 500', callbackId: 12 }))).not.toContain('data-testid="redeliver"');
      expect(render({ ...failed, callbackId: null })).not.toContain('data-testid="redeliver"');
    }
  });
});
