/** Online (chats are routed to me), away or offline (none are). */
import { AGENT_STATUSES, type AgentStatus } from '@elitewebchat/protocol/browser';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { agentApi } from '../api/agent';
import { authStore, useAuth } from '../auth/auth-store';
import { errorMessage } from '../ui/ErrorNote';

export function StatusSelect() {
  const { t } = useTranslation();
  const auth = useAuth();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!auth) return null;
  const status = auth.agent.status;
  const change = async (next: AgentStatus) => {
    setBusy(true);
    setError(null);
    try {
      authStore.updateAgent(await agentApi.setStatus(next));
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <label className={`status-select status-${status}`} title={error ?? t('status.hint')}>
      <span className={`status-dot status-${status}`} />
      <select
        value={status}
        disabled={busy}
        onChange={(e) => void change(AGENT_STATUSES.find((s) => s === e.target.value) ?? 'offline')}
        aria-label={t('status.label')}
        data-testid="status-select"
      >
        {AGENT_STATUSES.map((s) => (
          <option key={s} value={s}>
            {t(`status.${s}`)}
          </option>
        ))}
      </select>
      {error && <span className="error-text small">!</span>}
    </label>
  );
}
