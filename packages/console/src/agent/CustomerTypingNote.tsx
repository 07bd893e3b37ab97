/** "The customer is typing…" under a web chat's messages, while the customer's signals say so. */
import { useTranslation } from 'react-i18next';
import { useServices } from '../app/services';
import { useStore } from '../app/store';

export function CustomerTypingNote({ sessionId }: { sessionId: number }) {
  const { t } = useTranslation();
  const { customerTyping } = useServices();
  const typing = useStore(customerTyping.store, (s) => s.has(sessionId));
  // The live region stays in place so that screen readers announce the note when it appears.
  return (
    <div className="typing-note" role="status" aria-live="polite">
      {typing && (
        <span data-testid="customer-typing">
          <span className="typing-dots" aria-hidden="true">
            <span />
            <span />
            <span />
          </span>
          {t('chat.customerTyping')}
        </span>
      )}
    </div>
  );
}
