/** 2003: a player when a browser plays the format; otherwise (AMR) a download saying why. */
import type { FileView } from '@elitewebchat/protocol/browser';
import { useTranslation } from 'react-i18next';
import { FileCard } from './FileCard';
import { MediaPlayer } from './MediaPlayer';

export function VoiceMessage({ file, seconds }: { file: FileView; seconds: number | undefined }) {
  const { t } = useTranslation();
  return (
    <div className="media-voice" data-testid="media-voice" data-playable={file.playable}>
      {seconds !== undefined && (
        <span className="media-seconds" data-testid="media-seconds" data-seconds={seconds}>
          {t('media.voiceSeconds', { s: seconds })}
        </span>
      )}
      {file.playable ? (
        <MediaPlayer file={file} use="audio" />
      ) : (
        <FileCard file={file} note={t('media.voiceUnplayable', { type: file.type.toUpperCase() })} testId="voice-download-card" />
      )}
    </div>
  );
}
