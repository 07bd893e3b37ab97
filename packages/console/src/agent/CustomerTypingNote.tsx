/**
 * "The customer is typing…" under a chat's messages while the customer's signals say so, with
 * what they are typing when their side sends it (TPI 2021), as plain text.
 */
import { useTranslation } from 'react-i18next';
import { useServices } from '../app/services';
import { useStore } from '../app/store';

export function CustomerTypingNote({ sessionId }: { sessionId: number }) {
  const { t } = useTranslation();
  const { customerTyping } = useServices();
  const preview = useStore(customerTyping.store, (s) => s.get(sessionId));
  // The live region stays in place so that screen readers announce the note when it appears.
  return (
    <div className="typing-note" role="status" aria-live="polite">
      {preview !== undefined && (
        <span data-testid="customer-typing">
          <span className="typing-dots" aria-hidden="true">
            <span />
            <span />
            <span />
          </span>
          {t('chat.customerTyping')}
          {preview !== '' && (
            <q className="typing-preview" data-testid="customer-preview" aria-label={t('chat.customerPreview', { text: preview })}>
              {preview}
            </q>
          )}
        </span>
      )}
    </div>
  );
}
