/**
 * 2006: a player when a browser plays it (the thumbnail as its poster), with its name, length,
 * size and a download; otherwise a download card saying why.
 */
import type { FileView, MessageView } from '@elitewebchat/protocol/browser';
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { formatBytes } from '../../ui/format';
import { DownloadButton } from './DownloadButton';
import { FileCard } from './FileCard';
import { MediaPlayer } from './MediaPlayer';
import { useObjectUrl } from './object-url';
import { useVisible } from './use-visible';

export function VideoMessage({ file, seconds, thumb }: { file: FileView; seconds: number | undefined; thumb: MessageView['thumb'] }) {
  const { t, i18n } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  const visible = useVisible(ref);
  const poster = useObjectUrl(visible && file.playable && thumb ? thumb.url : null, 'image');
  const length =
    seconds !== undefined ? (
      <span className="media-seconds" data-testid="media-seconds" data-seconds={seconds}>
        {t('media.videoSeconds', { s: seconds })}
      </span>
    ) : null;
  if (!file.playable) {
    return (
      <div ref={ref} className="media-video" data-testid="media-video" data-playable="false">
        <FileCard file={file} note={t('media.videoUnplayable', { type: file.type.toUpperCase() })} testId="video-download-card" />
        {length}
      </div>
    );
  }
  return (
    <div ref={ref} className="media-video" data-testid="media-video" data-playable="true">
      <MediaPlayer file={file} use="video" poster={poster.src} />
      <div className="media-caption">
        <span className="media-name" title={file.name} data-testid="file-name">
          {file.name}
        </span>
        {length}
        <span className="media-seconds" data-testid="file-size" data-bytes={file.size}>
          {formatBytes(file.size, i18n.language)}
        </span>
        <DownloadButton url={file.url} name={file.name} />
      </div>
    </div>
  );
}
