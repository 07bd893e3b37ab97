/**
 * A voice message or video a browser plays: fetched with the token once it scrolls into view
 * (a large one only when the agent asks), then played from an object URL revoked on unmount.
 */
import type { FileView } from '@elitewebchat/protocol/browser';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatBytes } from '../../ui/format';
import { useObjectUrl } from './object-url';
import { useVisible } from './use-visible';

/** Larger ones wait for a click: twenty chats of videos must not be downloaded by scrolling. */
export const AUTO_LOAD_BYTES = 16 * 1024 * 1024;

export function MediaPlayer({ file, use, poster }: { file: FileView; use: 'audio' | 'video'; poster?: string | null }) {
  const { t, i18n } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  const visible = useVisible(ref);
  const auto = file.size <= AUTO_LOAD_BYTES;
  const [asked, setAsked] = useState(false);
  const { src, failed } = useObjectUrl(visible && (auto || asked) ? file.url : null, use);
  let body;
  if (!auto && !asked) {
    body = (
      <button type="button" className="btn btn-small" onClick={() => setAsked(true)} data-testid="media-load">
        {t(use === 'audio' ? 'media.loadVoice' : 'media.loadVideo', { size: formatBytes(file.size, i18n.language) })}
      </button>
    );
  } else if (failed) {
    body = (
      <span className="error-text" data-testid="media-failed">
        {t('media.failed')}
      </span>
    );
  } else if (use === 'audio') {
    body = <audio controls preload="auto" src={src ?? undefined} aria-label={file.name} data-testid="voice-player" data-ready={src !== null} />;
  } else {
    body = (
      <video
        controls
        playsInline
        preload="auto"
        autoPlay={asked}
        src={src ?? undefined}
        poster={poster ?? undefined}
        aria-label={file.name}
        data-testid="video-player"
        data-ready={src !== null}
      />
    );
  }
  return (
    <div ref={ref} className={`media-player media-player-${use}`}>
      {body}
    </div>
  );
}
