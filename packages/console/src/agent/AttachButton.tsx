/** The composer's attach button: a hidden file input behind a labelled button (any file; the platform judges it). */
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';

export function AttachButton({ disabled, onFiles }: { disabled: boolean; onFiles: (files: File[]) => void }) {
  const { t } = useTranslation();
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <button
        type="button"
        className="tool-btn attach-btn"
        onClick={() => input.current?.click()}
        disabled={disabled}
        title={t('composer.attachHint')}
        aria-label={t('composer.attach')}
        data-testid="attach-button"
      >
        <span aria-hidden="true">📎</span>
      </button>
      <input
        ref={input}
        type="file"
        multiple
        hidden
        tabIndex={-1}
        disabled={disabled}
        aria-label={t('composer.attach')}
        data-testid="attach-input"
        onChange={(e) => {
          const files = Array.from(e.currentTarget.files ?? []);
          // The same file again is a change too.
          e.currentTarget.value = '';
          if (files.length > 0) onFiles(files);
        }}
      />
    </>
  );
}
