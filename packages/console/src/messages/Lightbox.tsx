/** A full-size image over the page; Esc, a click outside or the close button put it away. */
import { useEffect, useRef } from 'react';
import { createPortal } from 'react-dom';
import { useTranslation } from 'react-i18next';

export function Lightbox({ src, name, onClose }: { src: string; name: string; onClose: () => void }) {
  const { t } = useTranslation();
  const closeRef = useRef<HTMLButtonElement>(null);
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;
  useEffect(() => {
    const key = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onCloseRef.current();
    };
    window.addEventListener('keydown', key);
    closeRef.current?.focus();
    return () => window.removeEventListener('keydown', key);
  }, []);
  return createPortal(
    <div className="lightbox" role="dialog" aria-modal="true" aria-label={name} data-testid="lightbox" onClick={onClose}>
      <img src={src} alt={name} onClick={(e) => e.stopPropagation()} />
      <div className="lightbox-bar" onClick={(e) => e.stopPropagation()}>
        <span className="lightbox-name">{name}</span>
        <a href={src} download={name} className="btn btn-small">
          {t('image.download')}
        </a>
        <button ref={closeRef} type="button" className="btn btn-small" onClick={onClose} data-testid="lightbox-close">
          {t('common.close')}
        </button>
      </div>
    </div>,
    document.body,
  );
}
