/** Saves a protected file under its name (fetched with the token); says so when it fails. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../ui/ErrorNote';
import { saveProtectedFile } from './object-url';

export function DownloadButton({ url, name, testId = 'file-download' }: { url: string; name: string; testId?: string }) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      await saveProtectedFile(url, name);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <span className="media-download">
      <button type="button" className="btn btn-small" onClick={() => void save()} disabled={busy} title={t('media.downloadHint', { name })} data-testid={testId}>
        {busy ? t('media.downloading') : t('media.download')}
      </button>
      {error && (
        <span className="error-text" role="alert" data-testid="media-download-error">
          {t('media.downloadFailed', { error })}
        </span>
      )}
    </span>
  );
}
