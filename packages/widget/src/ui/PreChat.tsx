/**
 * Before the chat: nickname, the queue (by name, when there are several), the operator's own
 * fields. A queue that cannot take the chat says why, and offers the left-message form.
 */
import { MAX_NICKNAME_LENGTH, type WebChannelView, type WebQueue } from '@elitewebchat/protocol/browser';
import { useState } from 'preact/hooks';
import type { Key } from '../i18n';
import { useApp } from './context';
import { LeftMessage } from './LeftMessage';

type Reason = Exclude<WebQueue['state'], 'open'> | 'full';

/** Why a 409 refused the request, as a reason we can name. */
function reasonOf(code: string): Reason | null {
  switch (code) {
    case 'OUTSIDE_WORKING_HOURS':
      return 'closed-hours';
    case 'NO_AGENT_ONLINE':
      return 'no-agents';
    case 'QUEUE_UNAVAILABLE':
      return 'unavailable';
    case 'QUEUE_FULL':
      return 'full';
    default:
      return null;
  }
}

export function PreChat({ channel, notice }: { channel: WebChannelView; notice: Key | null }) {
  const { c, t, lang } = useApp();
  const [nickname, setNickname] = useState(() => c.savedNickname());
  const [queueId, setQueueId] = useState<number | undefined>(channel.queues[0]?.id);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [refused, setRefused] = useState<{ reason: Reason; message: string } | null>(null);

  const queue = channel.queues.find((q) => q.id === queueId) ?? channel.queues[0];
  const closedReason: Reason | null = refused?.reason ?? (queue && queue.state !== 'open' ? queue.state : null);
  // A full queue may have room in a minute: no left-message form for that.
  const leave = closedReason !== null && closedReason !== 'full';

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const body: { nickname: string; queueId?: number; fields?: Record<string, string> } = { nickname: nickname.trim() };
      if (queue) body.queueId = queue.id;
      if (channel.preChatFields.length > 0) body.fields = fields;
      c.saveNickname(body.nickname);
      const result = await c.start(body);
      if (!result.ok) {
        const reason = reasonOf(result.code);
        if (reason) setRefused({ reason, message: result.message });
        else setError(t('error.generic', { message: result.message }));
      }
    } catch (err) {
      setError(c.errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="panel prechat" aria-labelledby="prechat-h">
      <h2 id="prechat-h">{t('prechat.intro')}</h2>
      {notice && (
        <p class="note" data-testid="prechat-notice">
          {t(notice)}
        </p>
      )}
      <form class="form" data-testid="prechat-form" onSubmit={(e) => void submit(e)}>
        {channel.queues.length > 1 && (
          <label class="field">
            <span>{t('queue')}</span>
            <select
              name="queue"
              value={queue?.id}
              onChange={(e) => {
                setQueueId(Number(e.currentTarget.value));
                setRefused(null);
                setError(null);
              }}
              data-testid="queue-select"
            >
              {channel.queues.map((q) => (
                <option key={q.id} value={q.id} data-state={q.state}>
                  {q.state === 'open' ? q.name : `${q.name} (${t(`queueState.${q.state}`)})`}
                </option>
              ))}
            </select>
          </label>
        )}
        {closedReason && (
          <p class="note warn" role="status" data-testid="queue-reason" data-reason={closedReason}>
            {t(`reason.${closedReason}`)} {leave && t('leaveHint')}
          </p>
        )}
        {!leave && (
          <>
            <label class="field">
              <span>
                {t('nickname')} <span class="req">({t('required')})</span>
              </span>
              <input
                type="text"
                name="nickname"
                required
                maxLength={MAX_NICKNAME_LENGTH}
                autoComplete="name"
                value={nickname}
                onInput={(e) => setNickname(e.currentTarget.value)}
                data-testid="nickname"
              />
            </label>
            {channel.preChatFields.map((f) => (
              <label class="field" key={f.name}>
                <span>
                  {f.label[lang]}
                  {f.required && <span class="req"> ({t('required')})</span>}
                </span>
                <input
                  type="text"
                  name={f.name}
                  required={f.required}
                  maxLength={1000}
                  value={fields[f.name] ?? ''}
                  onInput={(e) => setFields({ ...fields, [f.name]: e.currentTarget.value })}
                  data-testid={`field-${f.name}`}
                />
              </label>
            ))}
            {error && (
              <p class="error" role="alert" data-testid="prechat-error">
                {error}
              </p>
            )}
            <button type="submit" class="btn primary" disabled={busy} data-testid="start">
              {t('start')}
            </button>
          </>
        )}
      </form>
      {leave && <LeftMessage key={queue?.id} name={nickname} queueId={queue?.id} />}
    </section>
  );
}
