/** Logging in. The token goes to memory and sessionStorage, never into the address. */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { agentApi } from '../api/agent';
import { ApiError } from '../api/http';
import { unlockAudio } from '../chat/notifier';
import { LanguageSwitch } from '../ui/LanguageSwitch';
import { authStore } from './auth-store';

export function LoginPage() {
  const { t } = useTranslation();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [reason] = useState(() => authStore.takeEndReason());
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    unlockAudio();
    setBusy(true);
    setError(null);
    try {
      const answer = await agentApi.login(username.trim(), password);
      authStore.loggedIn(answer);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'BAD_CREDENTIALS') setError(t('login.badCredentials'));
      else if (err instanceof ApiError && err.status === 0) setError(t('error.network'));
      else setError(err instanceof Error ? err.message : String(err));
      setBusy(false);
    }
  };

  return (
    <div className="login-page">
      <form className="login-card" onSubmit={(e) => void submit(e)} data-testid="login-form">
        <div className="login-head">
          <h1>EliteWebChat</h1>
          <LanguageSwitch />
        </div>
        <p className="muted">{t('login.subtitle')}</p>
        {reason && (
          <p className="notice" data-testid="login-ended">
            {t(`login.ended.${reason}`)}
          </p>
        )}
        <label className="field">
          <span className="field-label">{t('login.username')}</span>
          <input value={username} onChange={(e) => setUsername(e.target.value)} autoComplete="username" autoFocus required maxLength={128} data-testid="login-username" />
        </label>
        <label className="field">
          <span className="field-label">{t('login.password')}</span>
          <input value={password} onChange={(e) => setPassword(e.target.value)} type="password" autoComplete="current-password" required maxLength={1024} data-testid="login-password" />
        </label>
        {error && (
          <p className="error-note" role="alert" data-testid="login-error">
            {error}
          </p>
        )}
        <button type="submit" className="btn btn-primary btn-block" disabled={busy} data-testid="login-submit">
          {busy ? t('login.busy') : t('login.submit')}
        </button>
      </form>
    </div>
  );
}
