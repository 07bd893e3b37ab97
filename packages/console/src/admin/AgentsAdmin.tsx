/** Agents: profile, password reset, max chats, queues, role, enabled. */
import { AGENT_ROLES, type AdminAgent, type AdminQueue, type AgentRole } from '@elitewebchat/protocol/browser';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { adminApi } from '../api/admin';
import { ErrorNote } from '../ui/ErrorNote';
import { Field } from '../ui/Field';
import { useLoad } from '../ui/useLoad';
import { useSave } from '../ui/useSave';

export function AgentsAdmin() {
  const { t } = useTranslation();
  const agents = useLoad(() => adminApi.agents(), []);
  const queues = useLoad(() => adminApi.queues(), []);
  const [editing, setEditing] = useState<AdminAgent | 'new' | null>(null);

  const saved = (a: AdminAgent) => {
    agents.setData((list) => [...(list ?? []).filter((x) => x.id !== a.id), a].sort((x, y) => x.id.localeCompare(y.id)));
    setEditing(a);
  };

  return (
    <div className="admin-split">
      <section className="card admin-list">
        <div className="card-head">
          <h2>{t('admin.agents')}</h2>
          <button type="button" className="btn btn-primary btn-small" onClick={() => setEditing('new')} data-testid="agent-new">
            {t('admin.agent.new')}
          </button>
        </div>
        {agents.error && <ErrorNote message={agents.error} />}
        <table className="table table-click" data-testid="admin-agents">
          <thead>
            <tr>
              <th>ID</th>
              <th>{t('admin.agent.username')}</th>
              <th>{t('admin.agent.alias')}</th>
              <th>{t('admin.agent.role')}</th>
              <th className="num">{t('admin.agent.maxChats')}</th>
              <th>{t('board.status')}</th>
            </tr>
          </thead>
          <tbody>
            {(agents.data ?? []).map((a) => (
              <tr
                key={a.id}
                className={`${editing !== 'new' && editing?.id === a.id ? 'selected' : ''}${a.enabled ? '' : ' disabled-row'}`}
                onClick={() => setEditing(a)}
                data-testid="admin-agent-row"
                data-agent-id={a.id}
              >
                <td>{a.id}</td>
                <td>{a.username}</td>
                <td>
                  {a.alias} <span className="muted">{a.name}</span>
                </td>
                <td>{t(`role.${a.role}`)}</td>
                <td className="num">{a.maxChats}</td>
                <td>
                  {a.enabled ? (
                    <>
                      <span className={`status-dot status-${a.status}`} /> {t(`status.${a.status}`)}
                    </>
                  ) : (
                    <span className="bad">{t('admin.agent.disabled')}</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {editing && (
        <AgentForm
          key={editing === 'new' ? 'new' : editing.id}
          agent={editing === 'new' ? null : editing}
          queues={queues.data ?? []}
          onSaved={saved}
          onCancel={() => setEditing(null)}
        />
      )}
    </div>
  );
}

function AgentForm({ agent, queues, onSaved, onCancel }: { agent: AdminAgent | null; queues: AdminQueue[]; onSaved: (a: AdminAgent) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const [id, setId] = useState(agent?.id ?? '');
  const [username, setUsername] = useState(agent?.username ?? '');
  const [password, setPassword] = useState('');
  const [name, setName] = useState(agent?.name ?? '');
  const [alias, setAlias] = useState(agent?.alias ?? '');
  const [icon, setIcon] = useState(agent?.icon ?? '');
  const [comments, setComments] = useState(agent?.comments ?? '');
  const [maxChats, setMaxChats] = useState(String(agent?.maxChats ?? 5));
  const [role, setRole] = useState<AgentRole>(agent?.role ?? 'agent');
  const [queueIds, setQueueIds] = useState<number[]>(agent?.queueIds ?? []);
  const [enabled, setEnabled] = useState(agent?.enabled ?? true);
  const save = useSave();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const fields = {
      username: username.trim(),
      name: name.trim(),
      alias: alias.trim(),
      icon: icon.trim(),
      comments,
      maxChats: Number(maxChats),
      queueIds,
      role,
    };
    await save.run(async () => onSaved(agent ? await adminApi.updateAgent(agent.id, { ...fields, enabled }) : await adminApi.createAgent({ id: id.trim(), password, ...fields })));
  };

  return (
    <div className="admin-form-col">
      <form className="card admin-form" onSubmit={(e) => void submit(e)} data-testid="agent-form">
        <div className="card-head">
          <h2>{agent ? t('admin.agent.edit', { name: agent.alias || agent.name }) : t('admin.agent.new')}</h2>
          <button type="button" className="btn btn-small" onClick={onCancel}>
            {t('common.close')}
          </button>
        </div>
        <div className="form-grid">
          <Field label="ID" hint={agent ? undefined : t('admin.agent.idHint')}>
            <input value={id} onChange={(e) => setId(e.target.value)} disabled={agent !== null} required maxLength={64} pattern="[A-Za-z0-9_.\-]+" data-testid="agent-id" />
          </Field>
          <Field label={t('admin.agent.username')}>
            <input value={username} onChange={(e) => setUsername(e.target.value)} required maxLength={128} autoComplete="off" data-testid="agent-username" />
          </Field>
          {!agent && (
            <Field label={t('admin.agent.password')} hint={t('admin.agent.passwordHint')}>
              <input value={password} onChange={(e) => setPassword(e.target.value)} type="password" required minLength={8} maxLength={1024} autoComplete="new-password" data-testid="agent-password" />
            </Field>
          )}
          <Field label={t('admin.agent.name')} hint={t('admin.agent.nameHint')}>
            <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={128} data-testid="agent-name" />
          </Field>
          <Field label={t('admin.agent.alias')} hint={t('admin.agent.aliasHint')}>
            <input value={alias} onChange={(e) => setAlias(e.target.value)} maxLength={128} data-testid="agent-alias" />
          </Field>
          <Field label={t('admin.agent.icon')} hint={t('admin.agent.iconHint')}>
            <input value={icon} onChange={(e) => setIcon(e.target.value)} maxLength={2048} type="url" data-testid="agent-icon" />
          </Field>
          <Field label={t('admin.agent.maxChats')}>
            <input value={maxChats} onChange={(e) => setMaxChats(e.target.value)} type="number" min={1} max={100} required data-testid="agent-max-chats" />
          </Field>
          <Field label={t('admin.agent.role')}>
            <select value={role} onChange={(e) => setRole(AGENT_ROLES.find((r) => r === e.target.value) ?? 'agent')} data-testid="agent-role">
              {AGENT_ROLES.map((r) => (
                <option key={r} value={r}>
                  {t(`role.${r}`)}
                </option>
              ))}
            </select>
          </Field>
          <Field label={t('admin.agent.comments')} wide>
            <textarea value={comments} onChange={(e) => setComments(e.target.value)} maxLength={1000} rows={2} data-testid="agent-comments" />
          </Field>
          {agent && (
            <label className="check">
              <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} data-testid="agent-enabled" />
              {t('admin.agent.enabled')}
            </label>
          )}
        </div>
        <fieldset className="checks" data-testid="agent-queues">
          <legend>{t('admin.agent.queues')}</legend>
          {queues.map((q) => (
            <label key={q.id} className="check">
              <input
                type="checkbox"
                checked={queueIds.includes(q.id)}
                onChange={(e) => setQueueIds((ids) => (e.target.checked ? [...ids, q.id] : ids.filter((x) => x !== q.id)))}
                data-queue-id={q.id}
              />
              {q.name} <span className="muted">#{q.id}</span>
            </label>
          ))}
        </fieldset>
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={save.busy} data-testid="agent-save">
            {t('common.save')}
          </button>
          {save.done && <span className="ok-text">{t('admin.saved')}</span>}
        </div>
        {save.error && <ErrorNote message={save.error} />}
      </form>
      {agent && <PasswordReset agentId={agent.id} />}
    </div>
  );
}

function PasswordReset({ agentId }: { agentId: string }) {
  const { t } = useTranslation();
  const [password, setPassword] = useState('');
  const save = useSave();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    await save.run(async () => {
      await adminApi.resetPassword(agentId, password);
      setPassword('');
    });
  };
  return (
    <form className="card admin-form" onSubmit={(e) => void submit(e)} data-testid="password-form">
      <h3>{t('admin.agent.resetPassword')}</h3>
      <p className="field-hint">{t('admin.agent.resetHint')}</p>
      <div className="inline-form">
        <input
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          type="password"
          required
          minLength={8}
          maxLength={1024}
          autoComplete="new-password"
          placeholder={t('admin.agent.newPassword')}
          aria-label={t('admin.agent.newPassword')}
          data-testid="password-new"
        />
        <button type="submit" className="btn" disabled={save.busy} data-testid="password-save">
          {t('admin.agent.resetPassword')}
        </button>
        {save.done && <span className="ok-text">{t('admin.agent.passwordReset')}</span>}
      </div>
      {save.error && <ErrorNote message={save.error} />}
    </form>
  );
}
