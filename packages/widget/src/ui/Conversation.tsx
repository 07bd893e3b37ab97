/**
 * Waiting, chatting and ended share one view: the same message list, with what is above and
 * below it changing with the state (so the composer keeps focus when an agent accepts).
 */
import type { ConversationView, WebChannelView } from '@elitewebchat/protocol/browser';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ChatState } from '../controller';
import { Composer, useImagePicker } from './Composer';
import { useApp } from './context';
import { Ended } from './Ended';
import { MessageList } from './MessageList';
import { Avatar } from './Avatar';

export function Conversation({ state, conversation, channel, onNewChat }: { state: ChatState; conversation: ConversationView; channel: WebChannelView; onNewChat: () => void }) {
  const { t } = useApp();
  const chatting = conversation.state === 'chatting';
  const images = useImagePicker(channel, chatting);
  const [dragging, setDragging] = useState(false);

  const dropProps = chatting
    ? {
        onDragOver: (e: DragEvent) => {
          if (!e.dataTransfer?.types.includes('Files')) return;
          e.preventDefault();
          setDragging(true);
        },
        onDragLeave: (e: DragEvent) => {
          if (e.currentTarget === e.target) setDragging(false);
        },
        onDrop: (e: DragEvent) => {
          e.preventDefault();
          setDragging(false);
          images.pick(e.dataTransfer?.files ?? null);
        },
      }
    : {};

  return (
    <div class={`conversation state-${conversation.state}`} data-testid="conversation" data-state={conversation.state} {...dropProps}>
      {conversation.state === 'waiting' && <WaitingBar conversation={conversation} />}
      {chatting && <AgentBar conversation={conversation} />}
      <MessageList state={state} conversation={conversation} />
      {chatting && state.agentTyping && (
        <p class="typing" data-testid="agent-typing">
          {t('typing', { name: conversation.agent?.name || t('agent') })}
        </p>
      )}
      {conversation.state === 'ended' ? (
        <Ended conversation={conversation} channel={channel} onNewChat={onNewChat} />
      ) : (
        <Composer channel={channel} chatting={chatting} images={images} />
      )}
      {dragging && (
        <div class="drop" aria-hidden="true">
          {t('dropHere')}
        </div>
      )}
    </div>
  );
}

function WaitingBar({ conversation }: { conversation: ConversationView }) {
  const { c, t } = useApp();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const wait = conversation.estimatedWaitSeconds;
  return (
    <section class="bar waiting" aria-labelledby="waiting-h">
      <div class="bar-text">
        <h2 id="waiting-h">{t('waiting.heading')}</h2>
        {conversation.place > 0 && (
          <p data-testid="waiting-place" data-place={conversation.place}>
            {t('waiting.place', { n: conversation.place })}
          </p>
        )}
        {wait !== null && (
          <p data-testid="waiting-estimate" data-seconds={wait}>
            {wait < 60 ? t('waiting.soon') : t('waiting.estimate', { m: Math.round(wait / 60) })}
          </p>
        )}
        <p class="muted small">{t('waiting.hint')}</p>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
      </div>
      <button
        type="button"
        class="btn"
        disabled={busy}
        data-testid="cancel"
        onClick={() => {
          setBusy(true);
          c.cancel()
            .catch((err: unknown) => setError(c.errorText(err)))
            .finally(() => setBusy(false));
        }}
      >
        {t('cancel')}
      </button>
    </section>
  );
}

function AgentBar({ conversation }: { conversation: ConversationView }) {
  const { c, t } = useApp();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const keep = useRef<HTMLButtonElement>(null);
  const endButton = useRef<HTMLButtonElement>(null);
  const asked = useRef(false);
  useEffect(() => {
    // Into the question when it opens; back to the button when it is answered "no".
    if (confirming) keep.current?.focus();
    else if (asked.current) endButton.current?.focus();
    asked.current = confirming;
  }, [confirming]);
  const name = conversation.agent?.name || t('agent');
  const end = () => {
    setBusy(true);
    c.endChat()
      .catch((err: unknown) => setError(c.errorText(err)))
      .finally(() => {
        setBusy(false);
        setConfirming(false);
      });
  };
  return (
    <section class="bar agent" aria-labelledby="agent-h">
      <Avatar name={name} icon={conversation.agent?.icon ?? ''} />
      <div class="bar-text">
        <h2 id="agent-h" class="agent-name" data-testid="agent-name">
          {name}
        </h2>
        <p class="muted small">{t('chattingWith', { name })}</p>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
      </div>
      {confirming ? (
        <div class="confirm" role="group" aria-label={t('endConfirm')}>
          <span class="small">{t('endConfirm')}</span>
          <button type="button" class="btn danger" disabled={busy} data-testid="end-confirm" onClick={end}>
            {t('endYes')}
          </button>
          <button type="button" class="btn" data-testid="end-cancel" onClick={() => setConfirming(false)} ref={keep}>
            {t('endNo')}
          </button>
        </div>
      ) : (
        <button type="button" class="btn" data-testid="end-chat" onClick={() => setConfirming(true)} ref={endButton}>
          {t('endChat')}
        </button>
      )}
    </section>
  );
}
