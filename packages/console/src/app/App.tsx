/**
 * Who may see what: the login page without a token, the change of a one-time password before
 * anything else, otherwise the sections the role allows.
 */
import type { LoginAnswer } from '@elitewebchat/protocol/browser';
import { lazy, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { AgentPage } from '../agent/AgentPage';
import { authStore, useAuth } from '../auth/auth-store';
import { ChangePasswordPage } from '../auth/ChangePasswordPage';
import { LoginPage } from '../auth/LoginPage';
import { PageBoundary } from './PageBoundary';
import { Link, navigate, usePath } from './router';
import { ServicesProvider } from './services';
import { Shell } from './Shell';

// Loaded when first opened: an agent's console does not carry the supervisor's and admin's code.
const SupervisorPage = lazy(() => import('../supervisor/SupervisorPage').then((m) => ({ default: m.SupervisorPage })));
const AdminPage = lazy(() => import('../admin/AdminPage').then((m) => ({ default: m.AdminPage })));

/** Where a visitor without a token wanted to go, to go there after logging in. */
let afterLogin: string | null = null;

const SECTION_PREFIXES = ['/agent', '/supervisor', '/admin'];
const inSection = (path: string) => SECTION_PREFIXES.some((p) => path === p || path.startsWith(`${p}/`));

export function App() {
  const auth = useAuth();
  const path = usePath();

  useEffect(() => {
    if (!auth) {
      if (inSection(path)) afterLogin = path;
      if (path !== '/login') navigate('/login', { replace: true });
    } else if (!inSection(path)) {
      const next = afterLogin ?? '/agent';
      afterLogin = null;
      navigate(next, { replace: true });
    }
  }, [auth, path]);

  if (!auth) return <LoginPage />;
  return <Authenticated auth={auth} path={path} />;
}

function Authenticated({ auth, path }: { auth: LoginAnswer; path: string }) {
  // The token ends at its expiry. (The agent's status and role are refreshed on every connect.)
  useEffect(() => {
    const ms = auth.expiresAt - Date.now();
    const id = window.setTimeout(() => authStore.clear('expired'), Math.max(0, Math.min(ms, 2 ** 31 - 1)));
    return () => window.clearTimeout(id);
  }, [auth.expiresAt]);

  // A one-time password: the server allows nothing but changing it, so no section, no live feed,
  // until it is. The address stays the section asked for, which opens once it is changed.
  if (auth.agent.mustChangePassword) return <ChangePasswordPage username={auth.agent.username} />;
  return <LoggedIn auth={auth} path={path} />;
}

function LoggedIn({ auth, path }: { auth: LoginAnswer; path: string }) {
  const { t } = useTranslation();
  const role = auth.agent.role;
  let page;
  if (path === '/agent' || path.startsWith('/agent/')) page = <AgentPage />;
  else if (path === '/supervisor' || path.startsWith('/supervisor/'))
    page =
      role === 'agent' ? (
        <Forbidden />
      ) : (
        <PageBoundary>
          <SupervisorPage />
        </PageBoundary>
      );
  else if (path === '/admin' || path.startsWith('/admin/'))
    page =
      role === 'admin' ? (
        <PageBoundary>
          <AdminPage />
        </PageBoundary>
      ) : (
        <Forbidden />
      );
  else page = null;

  return (
    <ServicesProvider auth={auth} fallback={<div className="boot muted">{t('common.loading')}</div>}>
      <Shell auth={auth}>{page}</Shell>
    </ServicesProvider>
  );
}

function Forbidden() {
  const { t } = useTranslation();
  return (
    <div className="page" data-testid="forbidden">
      <p>{t('error.forbidden')}</p>
      <Link to="/agent" className="btn">
        {t('nav.agent')}
      </Link>
    </div>
  );
}
