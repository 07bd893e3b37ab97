/** A message left instead of a chat (outside hours, no agent): name, contact, text, then thanks. */
import { MAX_NICKNAME_LENGTH } from '@elitewebchat/protocol/browser';
import { useState } from 'preact/hooks';
import { useApp } from './context';
import { useFocusOnMount } from './focus';

export function LeftMessage({ name: initialName, queueId }: { name: string; queueId: number | undefined }) {
  const { c, t } = useApp();
  const [name, setName] = useState(initialName);
  const [contact, setContact] = useState('');
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);

  if (done) return <LeftDone text={t('left.done')} />;

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const body: { name: string; contact: string; text: string; queueId?: number } = { name: name.trim(), contact: contact.trim(), text };
      if (queueId !== undefined) body.queueId = queueId;
      await c.leaveMessage(body);
      setDone(true);
    } catch (err) {
      setError(c.errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="form left" aria-labelledby="left-h" data-testid="left-form" onSubmit={(e) => void submit(e)}>
      <h3 id="left-h">{t('left.heading')}</h3>
      <label class="field">
        <span>
          {t('nickname')} <span class="req">({t('required')})</span>
        </span>
        <input type="text" required maxLength={MAX_NICKNAME_LENGTH} autoComplete="name" value={name} onInput={(e) => setName(e.currentTarget.value)} data-testid="left-name" />
      </label>
      <label class="field">
        <span>
          {t('left.contact')} <span class="req">({t('required')})</span>
        </span>
        <input type="text" required maxLength={200} autoComplete="email" value={contact} onInput={(e) => setContact(e.currentTarget.value)} data-testid="left-contact" />
      </label>
      <label class="field">
        <span>
          {t('left.text')} <span class="req">({t('required')})</span>
        </span>
        <textarea required maxLength={5000} rows={4} value={text} onInput={(e) => setText(e.currentTarget.value)} data-testid="left-text" />
      </label>
      {error && (
        <p class="error" role="alert" data-testid="left-error">
          {error}
        </p>
      )}
      <button type="submit" class="btn primary" disabled={busy} data-testid="left-submit">
        {t('left.submit')}
      </button>
    </form>
  );
}

function LeftDone({ text }: { text: string }) {
  const ref = useFocusOnMount<HTMLParagraphElement>();
  return (
    <p class="note ok" role="status" data-testid="left-done" tabIndex={-1} ref={ref}>
      {text}
    </p>
  );
}
