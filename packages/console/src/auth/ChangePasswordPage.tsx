/**
 * Choosing one's own password while the current one is a one-time one (the first
 * administrator's, or one reset from the command line). The server allows nothing else until
 * then, so this page loads nothing else and starts no live feed: only /me, the change, logout.
 */
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '@elitewebchat/protocol/browser';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { agentApi } from '../api/agent';
import { ApiError } from '../api/http';
import { logout } from '../app/Shell';
import { Field } from '../ui/Field';
import { LanguageSwitch } from '../ui/LanguageSwitch';
import { authStore } from './auth-store';

export function ChangePasswordPage({ username }: { username: string }) {
  const { t } = useTranslation();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  // What the stored login says may be stale (a reload): ask the server, which also checks the token.
  useEffect(() => {
    agentApi.me().then(
      (agent) => authStore.updateAgent(agent),
      () => undefined, // a 401 already went back to the login page; anything else, the form still works
    );
  }, []);

  const problem = (): string | null => {
    if (next.length < MIN_PASSWORD_LENGTH) return t('password.tooShort', { min: MIN_PASSWORD_LENGTH });
    if (next !== repeat) return t('password.mismatch');
    if (next === current) return t('password.same');
    return null;
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const invalid = problem();
    if (invalid) {
      setError(invalid);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await agentApi.changePassword(current, next);
      // On to the console, as after a normal login, once the server says so.
      const agent = await agentApi.me();
      if (agent.mustChangePassword) throw new Error(t('password.stillRequired'));
      authStore.updateAgent(agent);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'BAD_CREDENTIALS') setError(t('password.badCurrent'));
      else if (err instanceof ApiError && err.status === 0) setError(t('error.network'));
      else setError(err instanceof Error ? err.message : String(err));
      setBusy(false);
    }
  };

  return (
    <div className="login-page" data-testid="change-password-page">
      <form className="login-card" onSubmit={(e) => void submit(e)} data-testid="change-password-form">
        <div className="login-head">
          <h1>{t('password.title')}</h1>
          <LanguageSwitch />
        </div>
        <p className="muted">{t('password.explain', { username })}</p>
        {/* For password managers: whose password this is. */}
        <input type="text" value={username} autoComplete="username" readOnly hidden />
        <Field label={t('password.current')}>
          <input
            value={current}
            onChange={(e) => setCurrent(e.target.value)}
            type="password"
            autoComplete="current-password"
            autoFocus
            required
            maxLength={MAX_PASSWORD_LENGTH}
            data-testid="change-password-current"
          />
        </Field>
        <Field label={t('password.new')} hint={t('password.hint', { min: MIN_PASSWORD_LENGTH })}>
          <input
            value={next}
            onChange={(e) => setNext(e.target.value)}
            type="password"
            autoComplete="new-password"
            required
            maxLength={MAX_PASSWORD_LENGTH}
            data-testid="change-password-new"
          />
        </Field>
        <Field label={t('password.repeat')}>
          <input
            value={repeat}
            onChange={(e) => setRepeat(e.target.value)}
            type="password"
            autoComplete="new-password"
            required
            maxLength={MAX_PASSWORD_LENGTH}
            data-testid="change-password-repeat"
          />
        </Field>
        {error && (
          <p className="error-note" role="alert" data-testid="change-password-error">
            {error}
          </p>
        )}
        <button type="submit" className="btn btn-primary btn-block" disabled={busy} data-testid="change-password-submit">
          {busy ? t('password.busy') : t('password.submit')}
        </button>
        <button type="button" className="btn btn-block" onClick={() => void logout()} data-testid="change-password-logout">
          {t('nav.logout')}
        </button>
      </form>
    </div>
  );
}
