/** The top bar (sections by role, status, sound, language, logout) and the reconnect banner. */
import type { LoginAnswer } from '@elitewebchat/protocol/browser';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { agentApi } from '../api/agent';
import { authStore } from '../auth/auth-store';
import { muteStore, setMuted, unlockAudio } from '../chat/notifier';
import { LanguageSwitch } from '../ui/LanguageSwitch';
import { ReconnectBanner } from './ReconnectBanner';
import { Link, navigate, usePath } from './router';
import { StatusSelect } from './StatusSelect';
import { useStore } from './store';

export async function logout(): Promise<void> {
  try {
    // The server also takes the agent offline on logout.
    await agentApi.logout();
  } catch {
    // The token is forgotten either way.
  }
  authStore.clear();
  navigate('/login', { replace: true });
}

export function Shell({ auth, children }: { auth: LoginAnswer; children: ReactNode }) {
  const { t } = useTranslation();
  const path = usePath();
  const muted = useStore(muteStore, (m) => m);
  const role = auth.agent.role;
  const sections = [
    { to: '/agent', label: t('nav.agent'), show: true },
    { to: '/supervisor', label: t('nav.supervisor'), show: role !== 'agent' },
    { to: '/admin', label: t('nav.admin'), show: role === 'admin' },
  ];
  return (
    <div className="shell">
      <header className="topbar">
        <span className="brand">EliteWebChat</span>
        <nav className="topnav">
          {sections
            .filter((s) => s.show)
            .map((s) => (
              <Link key={s.to} to={s.to} className={`topnav-link${path === s.to || path.startsWith(`${s.to}/`) ? ' active' : ''}`} data-testid={`nav-${s.to.slice(1)}`}>
                {s.label}
              </Link>
            ))}
        </nav>
        <span className="spacer" />
        <StatusSelect />
        <span className="me" title={`${auth.agent.username} · ${t(`role.${role}`)}`} data-testid="me">
          {auth.agent.alias || auth.agent.name}
        </span>
        <button
          type="button"
          className={`icon-btn${muted ? ' off' : ''}`}
          onClick={() => {
            unlockAudio();
            setMuted(!muted);
          }}
          title={muted ? t('sound.unmute') : t('sound.mute')}
          aria-pressed={muted}
          data-testid="mute-toggle"
        >
          {muted ? '🔇' : '🔔'}
        </button>
        <LanguageSwitch />
        <button type="button" className="btn btn-small" onClick={() => void logout()} data-testid="logout">
          {t('nav.logout')}
        </button>
      </header>
      <ReconnectBanner />
      <div className="shell-body">{children}</div>
    </div>
  );
}
