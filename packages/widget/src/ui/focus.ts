import { useEffect, useRef } from 'preact/hooks';

/** A ref whose element takes the focus when it appears (a confirmation, a thank-you). */
export function useFocusOnMount<T extends HTMLElement>() {
  const ref = useRef<T>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return ref;
}
