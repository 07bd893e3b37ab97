/** A labelled form control with an optional hint. */
import type { ReactNode } from 'react';

export function Field({ label, hint, children, wide }: { label: string; hint?: string | undefined; children: ReactNode; wide?: boolean }) {
  return (
    <label className={`field${wide ? ' field-wide' : ''}`}>
      <span className="field-label">{label}</span>
      {children}
      {hint && <span className="field-hint">{hint}</span>}
    </label>
  );
}
