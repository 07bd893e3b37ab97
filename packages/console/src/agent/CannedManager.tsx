/** All canned replies: insert one, add my own, delete mine. Shared ones are managed by admins. */
import type { CannedReply } from '@elitewebchat/protocol/browser';
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useServices } from '../app/services';
import { useStore } from '../app/store';
import { ErrorNote, errorMessage } from '../ui/ErrorNote';

export function CannedManager({ onInsert, onClose }: { onInsert: (r: CannedReply) => void; onClose: () => void }) {
  const { t } = useTranslation();
  const { canned } = useServices();
  const { replies, error: loadError } = useStore(canned.store, (s) => s);
  const [filter, setFilter] = useState('');
  const [shortcut, setShortcut] = useState('');
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const closeRef = useRef(onClose);
  closeRef.current = onClose;
  useEffect(() => {
    const key = (e: KeyboardEvent) => {
      if (e.key === 'Escape') closeRef.current();
    };
    document.addEventListener('keydown', key);
    return () => document.removeEventListener('keydown', key);
  }, []);

  const shown = useMemo(() => {
    const f = filter.trim().toLowerCase();
    return f ? replies.filter((r) => r.shortcut.toLowerCase().includes(f) || r.text.toLowerCase().includes(f)) : replies;
  }, [replies, filter]);

  const add = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await canned.add(shortcut.trim().replace(/^\//, ''), text);
      setShortcut('');
      setText('');
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  const remove = async (r: CannedReply) => {
    setError(null);
    try {
      await canned.remove(r.id);
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  return (
    <div className="canned-manager" role="dialog" aria-label={t('canned.title')} data-testid="canned-manager">
      <div className="panel-head">
        <strong>{t('canned.title')}</strong>
        <input type="search" value={filter} onChange={(e) => setFilter(e.target.value)} placeholder={t('canned.filter')} data-testid="canned-filter" />
        <button type="button" className="btn btn-small" onClick={onClose}>
          {t('common.close')}
        </button>
      </div>
      <p className="muted small">{t('canned.usage')}</p>
      {loadError && <ErrorNote message={loadError} />}
      <ul className="canned-list">
        {shown.map((r) => (
          <li key={r.id} data-testid="canned-row" data-shortcut={r.shortcut}>
            <button type="button" className="canned-insert" onClick={() => onInsert(r)} title={t('canned.insert')}>
              <span className="canned-shortcut">/{r.shortcut}</span>
              {r.shared && <span className="tag">{t('canned.shared')}</span>}
              <span className="canned-text">{r.text}</span>
            </button>
            {!r.shared && (
              <button type="button" className="link-btn danger" onClick={() => void remove(r)} data-testid="canned-delete">
                {t('common.delete')}
              </button>
            )}
          </li>
        ))}
        {shown.length === 0 && <li className="muted">{t('canned.none')}</li>}
      </ul>
      <form className="canned-add" onSubmit={(e) => void add(e)}>
        <input
          value={shortcut}
          onChange={(e) => setShortcut(e.target.value)}
          placeholder={t('canned.shortcutPlaceholder')}
          maxLength={33}
          required
          pattern="/?\S{1,32}"
          aria-label={t('canned.shortcut')}
          data-testid="canned-new-shortcut"
        />
        <textarea value={text} onChange={(e) => setText(e.target.value)} placeholder={t('canned.textPlaceholder')} required maxLength={5000} rows={2} aria-label={t('canned.text')} data-testid="canned-new-text" />
        <button type="submit" className="btn btn-small btn-primary" disabled={busy} data-testid="canned-save">
          {t('canned.add')}
        </button>
      </form>
      {error && <ErrorNote message={error} />}
    </div>
  );
}
