/**
 * Third-party channels: callback base, allowed serverAddr prefixes, key (set, keep or remove),
 * and the later wire's settings (ChannelLaterFields).
 */
import { MAX_UPLOAD_BYTES, type ChannelUpdate, type ChannelView } from '@elitewebchat/protocol/browser';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { adminApi } from '../api/admin';
import { ErrorNote } from '../ui/ErrorNote';
import { Field } from '../ui/Field';
import { formatBytes } from '../ui/format';
import { useLoad } from '../ui/useLoad';
import { useSave } from '../ui/useSave';
import { channelLaterBody, ChannelLaterFields, useChannelLater } from './ChannelLaterFields';

const lines = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

export function ChannelsAdmin() {
  const { t } = useTranslation();
  const channels = useLoad(() => adminApi.channels(), []);
  const [editing, setEditing] = useState<ChannelView | 'new' | null>(null);
  /** A key just set: the server keeps only its hash, so this is the one chance to copy it. */
  const [newKey, setNewKey] = useState<{ id: string; key: string } | null>(null);

  const saved = (c: ChannelView, key: string | null) => {
    channels.setData((list) => [...(list ?? []).filter((x) => x.id !== c.id), c].sort((a, b) => a.id.localeCompare(b.id)));
    setNewKey(key ? { id: c.id, key } : null);
    setEditing(c);
  };

  return (
    <div className="admin-split">
      <section className="card admin-list">
        <div className="card-head">
          <h2>{t('admin.channels')}</h2>
          <button type="button" className="btn btn-primary btn-small" onClick={() => setEditing('new')} data-testid="channel-new">
            {t('admin.channel.new')}
          </button>
        </div>
        {channels.error && <ErrorNote message={channels.error} />}
        {newKey && (
          <div className="notice" data-testid="channel-new-key">
            <span>{t('admin.channel.copyKey', { id: newKey.id })}</span>
            <code className="mono">{newKey.key}</code>
            <button type="button" className="btn btn-small" onClick={() => void navigator.clipboard?.writeText(newKey.key)}>
              {t('common.copy')}
            </button>
            <button type="button" className="link-btn" onClick={() => setNewKey(null)} aria-label={t('common.dismiss')}>
              ×
            </button>
          </div>
        )}
        <table className="table table-click" data-testid="admin-channels">
          <thead>
            <tr>
              <th>ID</th>
              <th>{t('admin.channel.key')}</th>
              <th>{t('admin.channel.callbackBase')}</th>
              <th>{t('admin.channel.allowServerAddr')}</th>
            </tr>
          </thead>
          <tbody>
            {(channels.data ?? []).map((c) => (
              <tr
                key={c.id}
                className={editing !== 'new' && editing?.id === c.id ? 'selected' : ''}
                // A web chat is set up in the provisioning file: nothing of a third party's to edit.
                onClick={() => setEditing(c.kind === 'web' ? null : c)}
                title={c.kind === 'web' ? t('admin.channel.webHint') : undefined}
                data-testid="admin-channel-row"
                data-channel-id={c.id}
                data-kind={c.kind}
              >
                <td>{c.id}</td>
                {c.kind === 'web' ? (
                  <>
                    <td>{t('admin.channel.web')}</td>
                    <td className="small mono">/chat/{c.id}</td>
                    <td className="small mono">{c.web?.allowedOrigins.join(' ') || '—'}</td>
                  </>
                ) : (
                  <>
                    <td>{c.hasKey ? t('admin.channel.hasKey') : <span className="warn">{t('admin.channel.keyless')}</span>}</td>
                    <td className="small mono">{c.callbackBase ?? '—'}</td>
                    <td className="small mono">{c.allowServerAddr.join(' ') || '—'}</td>
                  </>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {editing && (
        <ChannelForm key={editing === 'new' ? 'new' : editing.id} channel={editing === 'new' ? null : editing} onSaved={saved} onCancel={() => setEditing(null)} />
      )}
    </div>
  );
}

export function ChannelForm({ channel, onSaved, onCancel }: { channel: ChannelView | null; onSaved: (c: ChannelView, key: string | null) => void; onCancel: () => void }) {
  const { t, i18n } = useTranslation();
  const [id, setId] = useState(channel?.id ?? '');
  const [keyMode, setKeyMode] = useState<'keep' | 'set' | 'remove'>(channel ? 'keep' : 'set');
  const [key, setKey] = useState('');
  const [callbackBase, setCallbackBase] = useState(channel?.callbackBase ?? '');
  const [allow, setAllow] = useState((channel?.allowServerAddr ?? []).join('\n'));
  const later = useChannelLater(channel);
  const save = useSave();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    save.reset();
    const laterBody = channelLaterBody(later);
    if (!laterBody.ok) {
      save.fail(t(laterBody.error, { max: formatBytes(MAX_UPLOAD_BYTES, i18n.language) }));
      return;
    }
    const base = callbackBase.trim() || null;
    await save.run(async () => {
      let saved: ChannelView;
      if (channel) {
        // Every field the form loaded goes back, also those it does not edit: what a PUT leaves
        // out is never changed by accident, whatever the server does with absent fields.
        const body: ChannelUpdate = {
          callbackBase: base,
          allowServerAddr: lines(allow),
          serverAddrPolicy: channel.serverAddrPolicy,
          // null (the default) is left out: absent keeps it, and the API reads a JSON null here as [""].
          ...(channel.allowFrom !== null ? { allowFrom: channel.allowFrom } : {}),
          ...laterBody.value,
        };
        if (keyMode === 'set') body.key = key;
        else if (keyMode === 'remove') body.key = null;
        saved = await adminApi.updateChannel(channel.id, body);
      } else {
        saved = await adminApi.createChannel({ id: id.trim(), ...(key ? { key } : {}), callbackBase: base, allowServerAddr: lines(allow), ...laterBody.value });
      }
      const setKeyNow = keyMode === 'set' && key ? key : null;
      setKey('');
      setKeyMode('keep');
      onSaved(saved, setKeyNow);
    });
  };

  const generate = () => {
    const bytes = new Uint8Array(24);
    crypto.getRandomValues(bytes);
    setKey(Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(''));
    if (channel) setKeyMode('set');
  };

  return (
    <form className="card admin-form" onSubmit={(e) => void submit(e)} data-testid="channel-form">
      <div className="card-head">
        <h2>{channel ? t('admin.channel.edit', { id: channel.id }) : t('admin.channel.new')}</h2>
        <button type="button" className="btn btn-small" onClick={onCancel}>
          {t('common.close')}
        </button>
      </div>
      <div className="form-grid">
        <Field label="ID" hint={channel ? undefined : t('admin.channel.idHint')}>
          <input value={id} onChange={(e) => setId(e.target.value)} disabled={channel !== null} required maxLength={64} pattern="[A-Za-z0-9_.\-]+" data-testid="channel-id" />
        </Field>
        <Field label={t('admin.channel.callbackBase')} hint={t('admin.channel.callbackBaseHint')}>
          <input value={callbackBase} onChange={(e) => setCallbackBase(e.target.value)} maxLength={2048} placeholder="https://tp.example.com/cb" data-testid="channel-callback-base" />
        </Field>
        <Field label={t('admin.channel.allowServerAddr')} hint={t('admin.channel.allowHint')} wide>
          <textarea value={allow} onChange={(e) => setAllow(e.target.value)} rows={3} className="mono" data-testid="channel-allow" />
        </Field>
      </div>
      <fieldset className="key-editor" data-testid="channel-key">
        <legend>{t('admin.channel.key')}</legend>
        {channel && (
          <div className="radio-row">
            <label className="check">
              <input type="radio" name="keyMode" checked={keyMode === 'keep'} onChange={() => setKeyMode('keep')} data-testid="channel-key-keep" />
              {channel.hasKey ? t('admin.channel.keepKey') : t('admin.channel.keepKeyless')}
            </label>
            <label className="check">
              <input type="radio" name="keyMode" checked={keyMode === 'set'} onChange={() => setKeyMode('set')} data-testid="channel-key-set" />
              {t('admin.channel.setKey')}
            </label>
            {channel.hasKey && (
              <label className="check">
                <input type="radio" name="keyMode" checked={keyMode === 'remove'} onChange={() => setKeyMode('remove')} data-testid="channel-key-remove" />
                {t('admin.channel.removeKey')}
              </label>
            )}
          </div>
        )}
        {keyMode === 'set' && (
          <div className="inline-form">
            <input
              value={key}
              onChange={(e) => setKey(e.target.value)}
              minLength={16}
              maxLength={256}
              required={channel !== null}
              placeholder={t('admin.channel.keyPlaceholder')}
              className="mono"
              autoComplete="off"
              aria-label={t('admin.channel.key')}
              data-testid="channel-key-input"
            />
            <button type="button" className="btn btn-small" onClick={generate} data-testid="channel-key-generate">
              {t('admin.channel.generate')}
            </button>
          </div>
        )}
        {keyMode === 'set' && <p className="field-hint">{channel ? t('admin.channel.keyHint') : t('admin.channel.newKeyHint')}</p>}
        {keyMode === 'remove' && <p className="field-hint warn">{t('admin.channel.removeHint')}</p>}
      </fieldset>
      <ChannelLaterFields later={later} />
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={save.busy} data-testid="channel-save">
          {t('common.save')}
        </button>
        {save.done && <span className="ok-text">{t('admin.saved')}</span>}
      </div>
      {save.error && <ErrorNote message={save.error} />}
    </form>
  );
}
