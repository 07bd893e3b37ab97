/** The 105 emoticons: a click inserts the code, so a WeChat customer sees the native emoticon. */
import { EMOTICONS, type Emoticon } from '@elitewebchat/protocol/browser';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';

export function EmoticonPicker({ onPick, onClose }: { onPick: (e: Emoticon) => void; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  const closeRef = useRef(onClose);
  closeRef.current = onClose;
  useEffect(() => {
    const outside = (e: MouseEvent) => {
      const target = e.target as Node | null;
      if (ref.current && target && !ref.current.contains(target) && !(target instanceof Element && target.closest('[data-emoticon-toggle]'))) closeRef.current();
    };
    const key = (e: KeyboardEvent) => {
      if (e.key === 'Escape') closeRef.current();
    };
    document.addEventListener('mousedown', outside);
    document.addEventListener('keydown', key);
    ref.current?.querySelector('button')?.focus();
    return () => {
      document.removeEventListener('mousedown', outside);
      document.removeEventListener('keydown', key);
    };
  }, []);
  const english = i18n.language === 'en';
  return (
    <div className="emoticon-picker" ref={ref} role="dialog" aria-label={t('composer.emoticons')} data-testid="emoticon-picker">
      {EMOTICONS.map((e) => (
        <button
          key={e.id}
          type="button"
          className="emoticon-item"
          title={english ? `${e.en} · ${e.zh}  ${e.code}` : `${e.zh}  ${e.code}`}
          aria-label={english ? e.en : e.zh}
          onClick={() => onPick(e)}
          data-testid="emoticon-item"
          data-code={e.code}
          data-emoticon-id={e.id}
        >
          {e.unicode}
        </button>
      ))}
    </div>
  );
}
