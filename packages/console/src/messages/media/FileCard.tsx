/**
 * A file as a card: its name (as the sender named it, text), its format (by its bytes), its size
 * and a download button. Never shown inline: the bytes are only ever saved.
 */
import type { FileView } from '@elitewebchat/protocol/browser';
import { useTranslation } from 'react-i18next';
import { formatBytes } from '../../ui/format';
import { DownloadButton } from './DownloadButton';

export function FileCard({ file, note, testId = 'media-file' }: { file: FileView; note?: string | undefined; testId?: string }) {
  const { i18n } = useTranslation();
  const type = file.type.toUpperCase();
  return (
    <div className="media-card file-card" data-testid={testId} data-file-type={file.type} data-file-id={file.id}>
      <span className="file-icon" aria-hidden="true">
        {type.slice(0, 4)}
      </span>
      <span className="file-body">
        <span className="file-name" title={file.name} data-testid="file-name">
          {file.name}
        </span>
        <span className="file-meta">
          <span data-testid="file-type">{type}</span>
          {' · '}
          <span data-testid="file-size" data-bytes={file.size}>
            {formatBytes(file.size, i18n.language)}
          </span>
        </span>
        {note && (
          <span className="media-note" data-testid="media-note">
            {note}
          </span>
        )}
      </span>
      <DownloadButton url={file.url} name={file.name} />
    </div>
  );
}
