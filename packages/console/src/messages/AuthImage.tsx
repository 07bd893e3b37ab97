/**
 * A customer's image (2002): fetched with the bearer token once it scrolls into view, shown as a
 * thumbnail, opened full size on click.
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { loadImage } from './image-cache';
import { Lightbox } from './Lightbox';
import { useVisible } from './media/use-visible';

export function AuthImage({ url, name }: { url: string; name: string }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLButtonElement>(null);
  const visible = useVisible(ref);
  const [src, setSrc] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  const [open, setOpen] = useState(false);

  useEffect(() => {
    if (!visible) return;
    let live = true;
    loadImage(url).then(
      (u) => live && setSrc(u),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, [url, visible]);

  return (
    <>
      <button
        ref={ref}
        type="button"
        className="thumb"
        onClick={() => src && setOpen(true)}
        disabled={!src}
        title={t('image.open', { name })}
        data-testid="image-thumb"
      >
        {src ? <img src={src} alt={name} /> : <span className="thumb-placeholder">{failed ? t('image.failed') : t('image.loading')}</span>}
      </button>
      {open && src && <Lightbox src={src} name={name} onClose={() => setOpen(false)} />}
    </>
  );
}
