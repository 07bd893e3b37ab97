/**
 * The content of a voice, location, file or video message (TPI 2003–2006), each by its own
 * component; every name, address and note in them is React text, never markup.
 */
import type { MessageKind, MessageView } from '@elitewebchat/protocol/browser';
import { useTranslation } from 'react-i18next';
import { FileCard } from './FileCard';
import { LocationMessage } from './LocationMessage';
import { VideoMessage } from './VideoMessage';
import { VoiceMessage } from './VoiceMessage';
import './media.css';

export type MediaKind = Extract<MessageKind, 'voice' | 'location' | 'file' | 'video'>;

export function isMediaKind(kind: MessageKind): kind is MediaKind {
  return kind === 'voice' || kind === 'location' || kind === 'file' || kind === 'video';
}

export function MediaBody({ message, kind }: { message: MessageView; kind: MediaKind }) {
  const { t } = useTranslation();
  const missing = (
    <span className="media-missing" data-testid="media-missing">
      {t('media.missing')}
    </span>
  );
  switch (kind) {
    case 'voice':
      return message.file ? <VoiceMessage file={message.file} seconds={message.seconds} /> : missing;
    case 'location':
      return message.location ? <LocationMessage location={message.location} thumb={message.thumb} /> : missing;
    case 'file':
      return message.file ? <FileCard file={message.file} /> : missing;
    case 'video':
      return message.file ? <VideoMessage file={message.file} seconds={message.seconds} thumb={message.thumb} /> : missing;
  }
}
