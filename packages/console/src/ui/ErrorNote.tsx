/** An error as the server (or the network) put it. */
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/http';

export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}

export function ErrorNote({ message, onDismiss }: { message: string; onDismiss?: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="error-note" role="alert" data-testid="error">
      <span>{message}</span>
      {onDismiss && (
        <button type="button" className="link-btn" onClick={onDismiss} aria-label={t('common.dismiss')}>
          ×
        </button>
      )}
    </div>
  );
}
