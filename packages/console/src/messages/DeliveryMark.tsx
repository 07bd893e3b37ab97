/**
 * Whether the customer's side has one of the agent's replies: sent ✓, delivered ✓✓, read (web
 * chat) ✓✓ in blue, retrying and failed in words. The whole of it (the attempts and last error
 * too) is its title and, for screen readers, its hidden text. Supervisors and admins can send a
 * failed reply again from here.
 */
import type { DeliveryView } from '@elitewebchat/protocol/browser';
import { useEffect, useState, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { supervisorApi } from '../api/supervisor';
import { authStore } from '../auth/auth-store';
import { errorMessage } from '../ui/ErrorNote';
import './delivery.css';

const ICON: Record<DeliveryView['state'], string> = { sent: '✓', delivered: '✓✓', read: '✓✓', retrying: '↻', failed: '!' };

const role = () => authStore.get()?.agent.role;

export function DeliveryMark({ delivery }: { delivery: DeliveryView }) {
  const { t } = useTranslation();
  // The same on the server (tests render it there) as in the browser.
  const myRole = useSyncExternalStore(authStore.subscribe, role, role);
  /** What the redelivery answered, until the server's next word on this reply. */
  const [answered, setAnswered] = useState<DeliveryView | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setAnswered(null);
    setError(null);
  }, [delivery]);

  const shown = answered ?? delivery;
  const { state } = shown;
  const details = [t(`delivery.explain.${state}`)];
  if (state === 'retrying' || state === 'failed') {
    details.push(t('delivery.attempts', { count: shown.attempts }));
    if (shown.lastError) details.push(t('delivery.lastError', { error: shown.lastError }));
  }
  const name = t('delivery.name', { state: t(`delivery.${state}`), details: details.join(t('delivery.separator')) });
  const canRedeliver = state === 'failed' && shown.callbackId !== null && (myRole === 'supervisor' || myRole === 'admin');

  const redeliver = async () => {
    if (shown.callbackId === null) return;
    setBusy(true);
    setError(null);
    try {
      setAnswered(await supervisorApi.redeliver(shown.callbackId));
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <span className={`delivery delivery-${state}`} data-testid="delivery-mark" data-state={state} title={name}>
      <span className="delivery-icon" aria-hidden="true">
        {ICON[state]}
      </span>
      <span className="delivery-name">{name}</span>
      {(state === 'retrying' || state === 'failed') && (
        <span className="delivery-word" aria-hidden="true">
          {t(`delivery.${state}`)}
          {state === 'retrying' ? ` (${shown.attempts})` : ''}
        </span>
      )}
      {canRedeliver && (
        <button type="button" className="link-btn delivery-redeliver" onClick={() => void redeliver()} disabled={busy} data-testid="redeliver">
          {busy ? t('delivery.redelivering') : t('delivery.redeliver')}
        </button>
      )}
      {error && (
        <span className="error-text" role="alert" data-testid="redeliver-error">
          {t('delivery.redeliverFailed', { message: error })}
        </span>
      )}
    </span>
  );
}
