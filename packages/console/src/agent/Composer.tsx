/**
 * Typing a reply. Enter sends, Shift+Enter breaks the line (an IME composing Chinese keeps its
 * Enter). `/shortcut` then Tab (or Enter, or a click) inserts a canned reply; the emoticon picker
 * inserts codes at the caret. Images and files go by the attach button, a paste or a drop
 * (useAttachments). In a web chat the customer sees that the agent is typing.
 */
import { MAX_TEXT_LENGTH, type CannedReply, type Emoticon } from '@elitewebchat/protocol/browser';
import { useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useServices } from '../app/services';
import { useStore } from '../app/store';
import { sendMessage } from '../chat/chat-actions';
import { matchReplies, slashTokenAt } from '../chat/canned-store';
import { TypingSignal } from '../chat/typing-signal';
import { AttachButton } from './AttachButton';
import { CannedManager } from './CannedManager';
import { CannedPopup } from './CannedPopup';
import { EmoticonPicker } from './EmoticonPicker';
import { UploadTray } from './UploadTray';
import { useAttachments } from './useAttachments';

export function Composer({ sessionId, disabled, webChat = false }: { sessionId: number; disabled: boolean; webChat?: boolean }) {
  const { t } = useTranslation();
  const { chats, canned, realtime } = useServices();
  const replies = useStore(canned.store, (s) => s.replies);
  const area = useRef<HTMLTextAreaElement>(null);
  const [text, setTextState] = useState(() => chats.drafts.get(sessionId) ?? '');
  const [caret, setCaret] = useState(text.length);
  const [picker, setPicker] = useState(false);
  const [manager, setManager] = useState(false);
  const [selected, setSelected] = useState(0);
  /** The text at which Esc hid the popup; it comes back when the text changes. */
  const [dismissedFor, setDismissedFor] = useState<string | null>(null);
  const nextSelection = useRef<number | null>(null);
  const typing = useRef<TypingSignal | null>(null);
  const attachments = useAttachments(sessionId, disabled);

  // Web chat only, while the chat is open and on screen (a chat kept in the background runs no
  // effects): leaving it says "stopped typing".
  useEffect(() => {
    if (!webChat || disabled) return;
    const signal = new TypingSignal((on) => realtime.typing(sessionId, on));
    typing.current = signal;
    return () => {
      signal.stop();
      typing.current = null;
    };
  }, [webChat, disabled, sessionId, realtime]);

  const token = slashTokenAt(text, caret);
  const query = token && dismissedFor !== text ? token.query : null;
  const matches = useMemo(() => (query === null ? [] : matchReplies(replies, query)), [query, replies]);
  const popupOpen = matches.length > 0 && !disabled;
  const selectedIndex = Math.min(selected, Math.max(0, matches.length - 1));

  const setText = (value: string, selection?: number) => {
    setTextState(value);
    // Sending empties the input: that, too, ends "typing".
    typing.current?.input(value);
    if (value) chats.drafts.set(sessionId, value);
    else chats.drafts.delete(sessionId);
    if (selection !== undefined) {
      nextSelection.current = selection;
      setCaret(selection);
    }
  };

  // Focus on opening the chat (also when it comes back from the background).
  useEffect(() => {
    if (!disabled) area.current?.focus();
  }, [disabled]);

  useLayoutEffect(() => {
    const el = area.current;
    if (el && nextSelection.current !== null) {
      el.focus();
      el.setSelectionRange(nextSelection.current, nextSelection.current);
      nextSelection.current = null;
    }
  });

  const insertAtCaret = (insert: string, replaceFrom?: number) => {
    const el = area.current;
    const start = replaceFrom ?? el?.selectionStart ?? text.length;
    const end = el?.selectionEnd ?? text.length;
    setText(text.slice(0, start) + insert + text.slice(end), start + insert.length);
  };

  const pickReply = (reply: CannedReply) => {
    if (!token) return insertAtCaret(reply.text);
    setText(text.slice(0, token.start) + reply.text + text.slice(caret), token.start + reply.text.length);
    setSelected(0);
  };

  const pickEmoticon = (e: Emoticon) => {
    insertAtCaret(e.code);
    setPicker(false);
  };

  const trimmed = text.replace(/\s+$/, '');
  const tooLong = trimmed.length > MAX_TEXT_LENGTH;
  const canSend = !disabled && trimmed.trim().length > 0 && !tooLong;

  const send = () => {
    if (!canSend) return;
    sendMessage(chats, sessionId, trimmed);
    setText('', 0);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    // An IME (pinyin) uses Enter to commit what it composes.
    if (e.nativeEvent.isComposing || e.keyCode === 229) return;
    if (popupOpen) {
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        const n = matches.length;
        setSelected((selectedIndex + (e.key === 'ArrowDown' ? 1 : n - 1)) % n);
        return;
      }
      if (e.key === 'Tab' || (e.key === 'Enter' && !e.shiftKey)) {
        e.preventDefault();
        const reply = matches[selectedIndex];
        if (reply) pickReply(reply);
        return;
      }
      if (e.key === 'Escape') {
        e.preventDefault();
        setDismissedFor(text);
        return;
      }
    }
    if (e.key === 'Enter' && !e.shiftKey && !e.altKey && !e.ctrlKey && !e.metaKey) {
      e.preventDefault();
      send();
    }
  };

  const syncCaret = () => {
    const el = area.current;
    if (el) setCaret(el.selectionStart);
  };

  return (
    <div className={`composer${disabled ? ' disabled' : ''}${attachments.dragging ? ' dragging' : ''}`} data-testid="composer" {...attachments.dropZone}>
      {attachments.dragging && (
        <div className="drop-hint" aria-hidden="true">
          {t('composer.dropHere')}
        </div>
      )}
      {popupOpen && <CannedPopup replies={matches} selected={selectedIndex} onPick={pickReply} onHover={setSelected} />}
      {picker && <EmoticonPicker onPick={pickEmoticon} onClose={() => setPicker(false)} />}
      {manager && (
        <CannedManager
          onInsert={(r) => {
            insertAtCaret(r.text);
            setManager(false);
          }}
          onClose={() => setManager(false)}
        />
      )}
      <div className="composer-tools">
        <button
          type="button"
          className={`tool-btn${picker ? ' on' : ''}`}
          onClick={() => setPicker((v) => !v)}
          disabled={disabled}
          title={t('composer.emoticons')}
          aria-expanded={picker}
          data-emoticon-toggle=""
          data-testid="emoticon-toggle"
        >
          😊
        </button>
        <AttachButton disabled={disabled} onFiles={attachments.send} />
        <button
          type="button"
          className={`tool-btn${manager ? ' on' : ''}`}
          onClick={() => setManager((v) => !v)}
          disabled={disabled}
          title={t('canned.manageHint')}
          aria-expanded={manager}
          data-testid="canned-toggle"
        >
          {t('canned.title')}
        </button>
        <span className="composer-hint">{t('composer.hint')}</span>
        {tooLong && <span className="error-text">{t('composer.tooLong', { max: MAX_TEXT_LENGTH, length: trimmed.length })}</span>}
      </div>
      <UploadTray sends={attachments.sends} onDismiss={attachments.dismiss} />
      <div className="composer-row">
        <textarea
          ref={area}
          value={text}
          disabled={disabled}
          placeholder={disabled ? t('composer.closedPlaceholder') : t('composer.placeholder')}
          title={t('composer.hint')}
          onChange={(e) => {
            setText(e.target.value);
            setCaret(e.target.selectionStart);
            setSelected(0);
          }}
          onKeyDown={onKeyDown}
          onPaste={attachments.onPaste}
          onKeyUp={syncCaret}
          onClick={syncCaret}
          onSelect={syncCaret}
          aria-label={t('composer.label')}
          aria-autocomplete="list"
          data-testid="composer-input"
        />
        <button type="button" className="btn btn-primary send-btn" onClick={send} disabled={!canSend} data-testid="send-button">
          {t('composer.send')}
        </button>
      </div>
    </div>
  );
}
