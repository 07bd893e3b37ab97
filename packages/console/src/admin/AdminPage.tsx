/** Administration: queues, agents, channels, shared replies, callback log. */
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, navigate, usePath } from '../app/router';
import { AgentsAdmin } from './AgentsAdmin';
import { CallbackLog } from './CallbackLog';
import { ChannelsAdmin } from './ChannelsAdmin';
import { QueuesAdmin } from './QueuesAdmin';
import { SharedRepliesAdmin } from './SharedRepliesAdmin';

const SECTIONS = [
  { path: '/admin/queues', key: 'admin.queues', Page: QueuesAdmin },
  { path: '/admin/agents', key: 'admin.agents', Page: AgentsAdmin },
  { path: '/admin/channels', key: 'admin.channels', Page: ChannelsAdmin },
  { path: '/admin/replies', key: 'admin.sharedReplies', Page: SharedRepliesAdmin },
  { path: '/admin/callbacks', key: 'admin.callbacks', Page: CallbackLog },
] as const;

export function AdminPage() {
  const { t } = useTranslation();
  const path = usePath();
  const section = SECTIONS.find((s) => path === s.path || path.startsWith(`${s.path}/`));
  useEffect(() => {
    if (!section) navigate(SECTIONS[0].path, { replace: true });
  }, [section]);
  return (
    <div className="page admin" data-testid="admin-page">
      <nav className="subnav">
        {SECTIONS.map((s) => (
          <Link key={s.path} to={s.path} className={`subnav-link${s === section ? ' active' : ''}`} data-testid={`admin-nav-${s.path.split('/')[2]}`}>
            {t(s.key)}
          </Link>
        ))}
        <span className="muted small subnav-note">{t('admin.liveNote')}</span>
      </nav>
      {section && <section.Page />}
    </div>
  );
}
