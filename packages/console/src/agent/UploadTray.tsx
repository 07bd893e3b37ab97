/** Above the reply box: each image or file on its way (how far), or refused (why, until dismissed). */
import { useTranslation } from 'react-i18next';
import { formatBytes } from '../ui/format';
import type { FileSend } from './useAttachments';

export function UploadTray({ sends, onDismiss }: { sends: readonly FileSend[]; onDismiss: (key: number) => void }) {
  if (sends.length === 0) return null;
  return (
    <ul className="upload-tray" data-testid="upload-tray">
      {sends.map((s) => (
        <UploadRow key={s.key} send={s} onDismiss={onDismiss} />
      ))}
    </ul>
  );
}

function UploadRow({ send, onDismiss }: { send: FileSend; onDismiss: (key: number) => void }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const { problem } = send;
  return (
    <li className={`upload${problem ? ' upload-failed' : ''}`} data-testid="upload" data-state={problem ? 'failed' : 'sending'} data-problem={problem?.key}>
      <span className="upload-name" title={send.name} data-testid="upload-name">
        {send.name}
      </span>
      <span className="upload-size">{formatBytes(send.size, lng)}</span>
      {problem ? (
        <>
          <span className="error-text" role="alert" data-testid="upload-error">
            {t(problem.key, { ...problem.values, limit: formatBytes(problem.values.limit ?? 0, lng) })}
          </span>
          <button type="button" className="link-btn upload-dismiss" onClick={() => onDismiss(send.key)} aria-label={t('common.dismiss')} data-testid="upload-dismiss">
            ×
          </button>
        </>
      ) : (
        <>
          <progress max={100} value={send.percent} aria-label={t('upload.progress', { name: send.name })} />
          <span className="upload-state" role="status" data-testid="upload-progress">
            {t('upload.sending', { percent: send.percent })}
          </span>
        </>
      )}
    </li>
  );
}
