/** A small picture the sender gave (a location's map, a video's first frame), fetched with the token. */
import type { MessageView } from '@elitewebchat/protocol/browser';
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useObjectUrl } from './object-url';
import { useVisible } from './use-visible';

type Thumb = NonNullable<MessageView['thumb']>;

export function AuthThumb({ thumb, alt, testId }: { thumb: Thumb; alt: string; testId: string }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLSpanElement>(null);
  const visible = useVisible(ref);
  const { src, failed } = useObjectUrl(visible ? thumb.url : null, 'image');
  return (
    <span ref={ref} className="media-thumb" data-testid={testId} data-ready={src !== null}>
      {src ? (
        <img src={src} alt={alt} width={thumb.width || undefined} height={thumb.height || undefined} />
      ) : (
        <span className="thumb-placeholder">{failed ? t('image.failed') : t('image.loading')}</span>
      )}
    </span>
  );
}
