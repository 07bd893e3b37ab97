/** The chat page: a header, the screen for where the conversation stands, the live region. */
import { useEffect, useState } from 'preact/hooks';
import { useStore } from '../store';
import { Conversation } from './Conversation';
import { useApp } from './context';
import { PreChat } from './PreChat';

export function App({ onMinimise }: { onMinimise?: (() => void) | undefined }) {
  const { c, t } = useApp();
  const s = useStore(c.store);
  const [newChat, setNewChat] = useState(false);
  const conv = s.conversation;
  // A new request replaces the "start a new chat" form with its conversation.
  useEffect(() => setNewChat(false), [conv?.requestId]);

  let body;
  if (s.boot === 'loading' && !conv) {
    body = (
      <p class="center muted" data-testid="loading">
        {t('loading')}
      </p>
    );
  } else if (s.boot === 'failed' || !conv || !s.channel) {
    body = (
      <div class="center" data-testid="boot-failed">
        <p role="alert">
          {t('bootFailed')} {s.bootError}
        </p>
        <button type="button" class="btn primary" onClick={() => void c.boot()}>
          {t('retry')}
        </button>
      </div>
    );
  } else if (conv.state === 'idle' || (conv.state === 'ended' && newChat)) {
    body = <PreChat channel={s.channel} notice={conv.state === 'idle' ? s.notice : null} />;
  } else {
    body = <Conversation state={s} conversation={conv} channel={s.channel} onNewChat={() => setNewChat(true)} />;
  }

  return (
    <div class="app">
      <header class="top">
        <h1>{t('title')}</h1>
        {onMinimise && (
          <button type="button" class="icon-btn on-dark" aria-label={t('minimise')} title={t('minimise')} data-testid="minimise" onClick={onMinimise}>
            <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
              <path d="M5 12h14" stroke="currentColor" stroke-width="2.5" stroke-linecap="round" />
            </svg>
          </button>
        )}
      </header>
      <Banner connected={s.connected} tried={s.feedTried && s.boot === 'ready'} />
      <main class="main">{body}</main>
      <div class="sr-only" aria-live="polite" aria-atomic="false" data-testid="announcer">
        {s.announcements.map((a) => (
          <p key={a.id}>{a.text}</p>
        ))}
      </div>
    </div>
  );
}

/** Shown while the feed is down (after a moment, so that a quick reconnect does not flicker). */
function Banner({ connected, tried }: { connected: boolean; tried: boolean }) {
  const { t } = useApp();
  const down = tried && !connected;
  const [show, setShow] = useState(false);
  useEffect(() => {
    if (!down) return setShow(false);
    const timer = setTimeout(() => setShow(true), 1_000);
    return () => clearTimeout(timer);
  }, [down]);
  if (!show) return null;
  return (
    <div class="banner" role="status" data-testid="disconnected-banner">
      {t('disconnected')}
    </div>
  );
}
