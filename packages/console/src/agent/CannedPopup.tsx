/** The replies matching a typed `/shortcut`, shown above the composer. */
import type { CannedReply } from '@elitewebchat/protocol/browser';
import { useTranslation } from 'react-i18next';

interface Props {
  replies: readonly CannedReply[];
  selected: number;
  onPick: (reply: CannedReply) => void;
  onHover: (index: number) => void;
}

export function CannedPopup({ replies, selected, onPick, onHover }: Props) {
  const { t } = useTranslation();
  return (
    <div className="canned-popup" role="listbox" aria-label={t('canned.title')} data-testid="canned-popup">
      <div className="canned-popup-hint">{t('canned.popupHint')}</div>
      {replies.map((r, i) => (
        <div
          key={r.id}
          role="option"
          aria-selected={i === selected}
          className={`canned-option${i === selected ? ' selected' : ''}`}
          onMouseDown={(e) => {
            // Keep the focus in the textarea.
            e.preventDefault();
            onPick(r);
          }}
          onMouseEnter={() => onHover(i)}
          data-testid="canned-option"
          data-shortcut={r.shortcut}
        >
          <span className="canned-shortcut">/{r.shortcut}</span>
          {r.shared && <span className="tag">{t('canned.shared')}</span>}
          <span className="canned-text">{r.text}</span>
        </div>
      ))}
    </div>
  );
}
