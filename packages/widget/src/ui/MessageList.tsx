/**
 * The conversation's messages, stored ones by id and then the pending ones; the customer's own
 * carry their state (sending, not sent, read by the agent); an agent's file is a card with a
 * download. It keeps to the bottom while the customer is there, and stays put while they read
 * back.
 */
import type { ConversationView, VisitorMessage } from '@elitewebchat/protocol/browser';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { ChatState } from '../controller';
import type { PendingMessage } from '../merge';
import { useApp } from './context';
import { FileCard } from './FileCard';
import { MessageText } from './MessageText';

export function MessageList({ state, conversation }: { state: ChatState; conversation: ConversationView }) {
  const { c, t } = useApp();
  const box = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  const [loadingEarlier, setLoadingEarlier] = useState(false);
  const count = state.messages.length + state.pending.length;
  const last = state.messages[state.messages.length - 1];

  useLayoutEffect(() => {
    const el = box.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [count, last?.id, state.agentTyping, conversation.state]);

  return (
    <div
      class="log"
      ref={box}
      tabIndex={0}
      role="region"
      aria-label={t('messages')}
      onScroll={(e) => {
        const el = e.currentTarget;
        stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 48;
      }}
    >
      {state.hasEarlier && (
        <button
          type="button"
          class="btn link earlier"
          disabled={loadingEarlier}
          data-testid="earlier"
          onClick={() => {
            setLoadingEarlier(true);
            stick.current = false;
            c.loadEarlier()
              .catch(() => undefined)
              .finally(() => setLoadingEarlier(false));
          }}
        >
          {t('earlier')}
        </button>
      )}
      <ol class="messages" data-testid="messages">
        {state.messages.map((m) => (
          <Stored key={m.id} m={m} readUpTo={conversation.agentReadUpTo} agentName={conversation.agent?.name} />
        ))}
        {state.pending.map((p) => (
          <Pending key={p.clientMsgId} p={p} />
        ))}
      </ol>
    </div>
  );
}

function time(ms: number, lang: string): string {
  return new Date(ms).toLocaleTimeString(lang, { hour: '2-digit', minute: '2-digit' });
}

function Stored({ m, readUpTo, agentName }: { m: VisitorMessage; readUpTo: number; agentName: string | undefined }) {
  const { t, lang } = useApp();
  if (m.kind === 'event') {
    return (
      <li class="event" data-testid="message" data-message-id={m.id} data-sender={m.sender} data-kind="event">
        <EventText m={m} />
      </li>
    );
  }
  const own = m.sender === 'customer';
  const who = own ? t('you') : m.sender === 'agent' ? agentName || t('agent') : t('title');
  return (
    <li class={`msg ${own ? 'own' : 'theirs'}`} data-testid="message" data-message-id={m.id} data-sender={m.sender} data-kind={m.kind} data-client-msg-id={m.clientMsgId ?? undefined}>
      <span class="sr-only">{who}: </span>
      <div class={m.kind === 'image' ? 'bubble pic' : m.kind === 'file' ? 'bubble file' : 'bubble'}>
        {m.kind === 'image' && m.image ? <ChatImage url={m.image.url} name={m.image.name} /> : m.kind === 'file' && m.file ? <FileCard file={m.file} /> : <MessageText text={m.text ?? ''} lang={lang} />}
      </div>
      <div class="meta">
        <time dateTime={new Date(m.createdAt).toISOString()}>{time(m.createdAt, lang)}</time>
        {own && m.id <= readUpTo && (
          <span class="read" data-testid="read-mark">
            {t('read')}
          </span>
        )}
      </div>
    </li>
  );
}

function EventText({ m }: { m: VisitorMessage }) {
  const { t, lang, c } = useApp();
  const e = m.event;
  if (!e) return null;
  switch (e.event) {
    case 'closed':
      return <span>{t(`ended.${e.by}`)}</span>;
    case 'rating-requested':
      return <span>{t('event.rating-requested')}</span>;
    case 'rated': {
      const option = c.state.channel?.ratings.find((r) => r.id === e.ratingId);
      return <span>{t('event.rated', { label: option ? option.label[lang] : String(e.ratingId) })}</span>;
    }
  }
}

function Pending({ p }: { p: PendingMessage }) {
  const { c, t, lang } = useApp();
  return (
    <li class={`msg own pending${p.failed ? ' failed' : ''}`} data-testid="message" data-pending="true" data-sender="customer" data-kind={p.kind} data-client-msg-id={p.clientMsgId}>
      <span class="sr-only">{t('you')}: </span>
      <div class={p.kind === 'image' ? 'bubble pic' : 'bubble'}>{p.kind === 'image' ? <img class="image" src={p.dataUri} alt={t('image.alt', { name: p.name ?? '' })} /> : <MessageText text={p.text ?? ''} lang={lang} />}</div>
      <div class="meta">
        {p.failed ? (
          <>
            <span class="fail" data-testid="send-failed">
              {t('failed')}: {p.failed}
            </span>
            <button type="button" class="btn link" onClick={() => c.resend(p.clientMsgId)} data-testid="resend">
              {t('resend')}
            </button>
            <button type="button" class="btn link" onClick={() => c.discard(p.clientMsgId)} data-testid="discard">
              {t('discard')}
            </button>
          </>
        ) : (
          <span data-testid="sending">{t('sending')}</span>
        )}
      </div>
    </li>
  );
}

/**
 * An image of the conversation: the customer's own fetched with the token (an <img src> cannot
 * carry it), an agent's from its public address on the platform.
 */
function ChatImage({ url, name }: { url: string; name: string }) {
  const { c, t } = useApp();
  const [src, setSrc] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    c.imageUrl(url).then(
      (u) => live && setSrc(u),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, [url]);
  if (failed) return <span class="muted">{t('image.failed')}</span>;
  const alt = t('image.alt', { name });
  if (!src) return <span class="image placeholder" role="img" aria-label={alt} />;
  return (
    <a href={src} target="_blank" rel="noopener noreferrer" class="image-link">
      <img class="image" src={src} alt={alt} data-testid="message-image" onError={() => setFailed(true)} />
    </a>
  );
}
