/**
 * After the chat: who ended it, the rating on the operator's scale (once), the transcript, and
 * a way to start again.
 */
import type { ConversationView, WebChannelView } from '@elitewebchat/protocol/browser';
import { useState } from 'preact/hooks';
import { useApp } from './context';
import { useFocusOnMount } from './focus';

export function Ended({ conversation, channel, onNewChat }: { conversation: ConversationView; channel: WebChannelView; onNewChat: () => void }) {
  const { c, t } = useApp();
  const heading = useFocusOnMount<HTMLHeadingElement>();
  const [error, setError] = useState<string | null>(null);

  const download = async () => {
    setError(null);
    try {
      const blob = await c.transcript();
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = `chat-${conversation.sessionId ?? 'transcript'}.txt`;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (err) {
      setError(c.errorText(err));
    }
  };

  return (
    <section class="ended panel" aria-labelledby="ended-h">
      <h2 id="ended-h" tabIndex={-1} ref={heading} data-testid="ended-by" data-by={conversation.closedBy ?? 'system'}>
        {t(`ended.${conversation.closedBy ?? 'system'}`)}
      </h2>
      {channel.ratings.length > 0 &&
        (conversation.rating ? (
          <p class="note ok" role="status" data-testid="rating-thanks">
            {t('rating.thanks')}
          </p>
        ) : (
          <Rating channel={channel} />
        ))}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <div class="row">
        <button type="button" class="btn" data-testid="transcript" onClick={() => void download()}>
          {t('transcript')}
        </button>
        <button type="button" class="btn primary" data-testid="new-chat" onClick={onNewChat}>
          {t('newChat')}
        </button>
      </div>
    </section>
  );
}

function Rating({ channel }: { channel: WebChannelView }) {
  const { c, t, lang } = useApp();
  const [choice, setChoice] = useState<number | null>(null);
  const [comments, setComments] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (choice === null) return setError(t('rating.choose'));
    setBusy(true);
    setError(null);
    try {
      await c.rate(choice, comments.trim());
    } catch (err) {
      setError(c.errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="form rating" data-testid="rating-form" onSubmit={(e) => void submit(e)}>
      <fieldset>
        <legend>{t('rating.heading')}</legend>
        <div class="options">
          {channel.ratings.map((r) => (
            <label key={r.id} class={`option${choice === r.id ? ' chosen' : ''}`}>
              <input type="radio" name="rating" value={r.id} checked={choice === r.id} onChange={() => setChoice(r.id)} data-testid={`rating-option-${r.id}`} />
              <span>{r.label[lang]}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <label class="field">
        <span>{t('rating.comment')}</span>
        <textarea rows={2} maxLength={1000} value={comments} onInput={(e) => setComments(e.currentTarget.value)} data-testid="rating-comment" />
      </label>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" class="btn primary" disabled={busy} data-testid="rating-submit">
        {t('rating.submit')}
      </button>
    </form>
  );
}
