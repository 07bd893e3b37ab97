import { useState } from 'react';
import { errorMessage } from './ErrorNote';

/** A form's save: busy while it runs, then done, or the error it ended with. */
export interface Save {
  busy: boolean;
  error: string | null;
  done: boolean;
  /** A new attempt begins: neither done nor failed. */
  reset(): void;
  /** Refused before anything was sent, saying why. */
  fail(message: string): void;
  /** Runs the save: done when it resolves, its error when it throws. */
  run(action: () => Promise<void>): Promise<void>;
}

export function useSave(): Save {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  return {
    busy,
    error,
    done,
    reset() {
      setError(null);
      setDone(false);
    },
    fail: setError,
    async run(action) {
      setError(null);
      setDone(false);
      setBusy(true);
      try {
        await action();
        setDone(true);
      } catch (err) {
        setError(errorMessage(err));
      } finally {
        setBusy(false);
      }
    },
  };
}
