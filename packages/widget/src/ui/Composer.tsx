/**
 * Writing: a textarea (Enter sends, Shift+Enter is a new line), the emoticon picker, and images
 * by file picker, paste or drop (checked here as the server checks them). While waiting the
 * messages go as pre-messages; images wait for the chat.
 */
import type { WebChannelView } from '@elitewebchat/protocol/browser';
import { useEffect, useRef, useState } from 'preact/hooks';
import { checkImage, formatBytes, IMAGE_TYPES, readAsDataUri } from '../images';
import { useApp } from './context';
import { EmoticonPicker } from './EmoticonPicker';

export interface ImagePicker {
  pick(files: FileList | null): void;
  error: string | null;
  clear(): void;
}

export function useImagePicker(channel: WebChannelView, chatting: boolean): ImagePicker {
  const { c, t } = useApp();
  const [error, setError] = useState<string | null>(null);
  return {
    error,
    clear: () => setError(null),
    pick(files) {
      if (!files || files.length === 0) return;
      if (!chatting) return setError(t('image.onlyChatting'));
      setError(null);
      for (let i = 0; i < files.length; i++) {
        const file = files.item(i);
        if (!file) continue;
        const problem = checkImage(file.type, file.size, channel.maxImageBytes);
        if (problem === 'type') return setError(t('image.type'));
        if (problem === 'size') return setError(t('image.tooBig', { size: formatBytes(channel.maxImageBytes) }));
        readAsDataUri(file).then(
          (uri) => c.sendImage(file.name || 'image', uri),
          (err: unknown) => setError(c.errorText(err)),
        );
      }
    },
  };
}

export function Composer({ channel, chatting, images }: { channel: WebChannelView; chatting: boolean; images: ImagePicker }) {
  const { c, t } = useApp();
  const [text, setText] = useState('');
  const [picker, setPicker] = useState(false);
  const area = useRef<HTMLTextAreaElement>(null);
  const file = useRef<HTMLInputElement>(null);
  const emoButton = useRef<HTMLButtonElement>(null);

  // The form that started the chat is gone: the customer's next step is to write.
  useEffect(() => {
    const now = document.activeElement;
    if (!now || now === document.body) area.current?.focus();
  }, []);

  const send = () => {
    if (text.trim() === '') return;
    c.sendText(text);
    setText('');
    area.current?.focus();
  };

  const insert = (code: string) => {
    const el = area.current;
    const start = el?.selectionStart ?? text.length;
    const end = el?.selectionEnd ?? text.length;
    const next = (text.slice(0, start) + code + text.slice(end)).slice(0, channel.maxTextLength);
    setText(next);
    setPicker(false);
    requestAnimationFrame(() => {
      if (!el) return;
      el.focus();
      const at = Math.min(next.length, start + code.length);
      el.setSelectionRange(at, at);
    });
  };

  return (
    <div class="composer-wrap">
      {picker && (
        <EmoticonPicker
          id="emoticon-picker"
          onPick={insert}
          onClose={() => {
            setPicker(false);
            emoButton.current?.focus();
          }}
        />
      )}
      {images.error && (
        <p class="error" role="alert" data-testid="composer-error">
          {images.error}
        </p>
      )}
      <form
        class="composer"
        onSubmit={(e) => {
          e.preventDefault();
          send();
        }}
      >
        <button
          type="button"
          class="icon-btn"
          ref={emoButton}
          aria-label={t('emoticons')}
          title={t('emoticons')}
          aria-expanded={picker}
          aria-controls="emoticon-picker"
          data-testid="emoticon-button"
          onClick={() => setPicker(!picker)}
        >
          <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true">
            <circle cx="12" cy="12" r="9" fill="none" stroke="currentColor" stroke-width="2" />
            <circle cx="9" cy="10" r="1.3" fill="currentColor" />
            <circle cx="15" cy="10" r="1.3" fill="currentColor" />
            <path d="M8 14.5c1 1.5 2.4 2.2 4 2.2s3-.7 4-2.2" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" />
          </svg>
        </button>
        {chatting && (
          <>
            <button type="button" class="icon-btn" aria-label={t('attach')} title={t('attach')} data-testid="image-button" onClick={() => file.current?.click()}>
              <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true">
                <rect x="3" y="5" width="18" height="14" rx="2" fill="none" stroke="currentColor" stroke-width="2" />
                <circle cx="9" cy="10" r="1.6" fill="currentColor" />
                <path d="M4 17l5-5 4 4 3-3 4 4" fill="none" stroke="currentColor" stroke-width="2" stroke-linejoin="round" />
              </svg>
            </button>
            <input
              ref={file}
              type="file"
              class="sr-only"
              tabIndex={-1}
              accept={IMAGE_TYPES.join(',')}
              aria-label={t('attach')}
              data-testid="image-input"
              onChange={(e) => {
                images.pick(e.currentTarget.files);
                e.currentTarget.value = '';
              }}
            />
          </>
        )}
        <textarea
          ref={area}
          rows={1}
          value={text}
          maxLength={channel.maxTextLength}
          aria-label={t('composer')}
          placeholder={t('placeholder')}
          data-testid="composer"
          enterkeyhint="send"
          onInput={(e) => {
            const v = e.currentTarget.value;
            setText(v);
            images.clear();
            c.typing(v.trim() !== '');
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
              e.preventDefault();
              send();
            }
          }}
          onBlur={() => c.stopTyping()}
          onPaste={(e) => {
            const files = e.clipboardData?.files;
            if (files && files.length > 0) {
              e.preventDefault();
              images.pick(files);
            }
          }}
        />
        <button type="submit" class="btn primary send" disabled={text.trim() === ''} data-testid="send">
          {t('send')}
        </button>
      </form>
    </div>
  );
}
