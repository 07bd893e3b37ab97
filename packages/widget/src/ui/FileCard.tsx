/**
 * A file an agent sent: its name (text, as the agent named it), its format, its size and a
 * download from the platform. Never shown in place: the platform serves it as an attachment.
 */
import type { VisitorFile } from '@elitewebchat/protocol/browser';
import { formatBytes } from '../images';
import { useApp } from './context';

export function FileCard({ file }: { file: VisitorFile }) {
  const { c, t } = useApp();
  const href = c.fileUrl(file.url);
  const type = file.type.toUpperCase();
  const size = formatBytes(file.size);
  return (
    <div class="file-card" data-testid="file-card" data-file-type={file.type}>
      <span class="file-icon" aria-hidden="true">
        {type.slice(0, 4)}
      </span>
      <span class="file-body">
        <span class="file-name" title={file.name} data-testid="file-name">
          {file.name}
        </span>
        <span class="file-meta">
          <span data-testid="file-type">{type}</span> · <span data-testid="file-size" data-bytes={file.size}>{size}</span>
        </span>
        {href ? (
          <a class="btn file-download" href={href} download={file.name} rel="noopener noreferrer" aria-label={t('file.downloadNamed', { name: file.name, size })} data-testid="file-download">
            {t('file.download')}
          </a>
        ) : (
          <span class="muted">{t('file.unavailable')}</span>
        )}
      </span>
    </div>
  );
}
