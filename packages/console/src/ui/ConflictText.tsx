/**
 * A refusal from the server (a 409 of a take, an accept, a transfer, an assignment) in the
 * console's words, with the server's own message beside it as detail; a message the console does
 * not know is shown as the server put it.
 */
import { useTranslation } from 'react-i18next';
import { explainConflict } from '../chat/conflicts';

interface Props {
  message: string;
  code?: string | undefined;
  /** Words around the reason, e.g. "Not transferred: {reason}". */
  frame: (reason: string) => string;
}

export function ConflictText({ message, code, frame }: Props) {
  const { t } = useTranslation();
  const reason = explainConflict(t, message, code);
  return (
    <span className="conflict-text" data-testid="conflict-text" data-explained={reason !== null}>
      <span data-testid="conflict-reason">{frame(reason ?? message)}</span>
      {reason !== null && (
        <span className="conflict-detail" data-testid="conflict-detail">
          {t('conflict.detail', { message })}
        </span>
      )}
    </span>
  );
}
