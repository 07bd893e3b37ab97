/** Canned replies every agent sees (shared). Agents manage their own in the composer. */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { adminApi } from '../api/admin';
import { agentApi } from '../api/agent';
import { useServices } from '../app/services';
import { ErrorNote, errorMessage } from '../ui/ErrorNote';
import { Field } from '../ui/Field';
import { useLoad } from '../ui/useLoad';

export function SharedRepliesAdmin() {
  const { t } = useTranslation();
  const { canned } = useServices();
  const replies = useLoad(() => agentApi.cannedReplies().then((list) => list.filter((r) => r.shared)), []);
  const [shortcut, setShortcut] = useState('');
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const add = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setBusy(true);
    try {
      const reply = await adminApi.addSharedReply(shortcut.trim().replace(/^\//, ''), text);
      replies.setData((list) => [...(list ?? []), reply].sort((a, b) => a.shortcut.localeCompare(b.shortcut)));
      setShortcut('');
      setText('');
      void canned.load();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  const remove = async (id: number) => {
    setError(null);
    try {
      await adminApi.deleteSharedReply(id);
      replies.setData((list) => (list ?? []).filter((r) => r.id !== id));
      void canned.load();
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  return (
    <div className="admin-split">
      <section className="card admin-list">
        <div className="card-head">
          <h2>{t('admin.sharedReplies')}</h2>
        </div>
        {replies.error && <ErrorNote message={replies.error} />}
        <table className="table" data-testid="admin-shared-replies">
          <thead>
            <tr>
              <th>{t('canned.shortcut')}</th>
              <th>{t('canned.text')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {(replies.data ?? []).map((r) => (
              <tr key={r.id} data-testid="admin-shared-reply-row" data-shortcut={r.shortcut}>
                <td className="mono">/{r.shortcut}</td>
                <td className="pre-wrap">{r.text}</td>
                <td>
                  <button type="button" className="link-btn danger" onClick={() => void remove(r.id)} data-testid="shared-reply-delete">
                    {t('common.delete')}
                  </button>
                </td>
              </tr>
            ))}
            {replies.data?.length === 0 && (
              <tr>
                <td colSpan={3} className="muted">
                  {t('canned.none')}
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </section>
      <form className="card admin-form" onSubmit={(e) => void add(e)} data-testid="shared-reply-form">
        <h2>{t('admin.addSharedReply')}</h2>
        <Field label={t('canned.shortcut')} hint={t('canned.shortcutHint')}>
          <input value={shortcut} onChange={(e) => setShortcut(e.target.value)} required maxLength={33} data-testid="shared-reply-shortcut" />
        </Field>
        <Field label={t('canned.text')} wide>
          <textarea value={text} onChange={(e) => setText(e.target.value)} required maxLength={5000} rows={4} data-testid="shared-reply-text" />
        </Field>
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={busy} data-testid="shared-reply-save">
            {t('canned.add')}
          </button>
        </div>
        {error && <ErrorNote message={error} />}
      </form>
    </div>
  );
}
